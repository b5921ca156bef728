import { type SymbolSummary, TIMEFRAME_LIST } from '@candlebase/contracts';
import type { ReactNode } from 'react';
import { formatAge, formatAgo, formatInt, formatUtc } from '../../lib/format';
import { Button } from '../../ui/Button';
import { JobStatusBadge } from '../backfill/JobStatusBadge';
import { StatusBadge } from '../symbols/StatusBadge';
import { CorporateActions } from './CorporateActions';
import { ProviderPicker } from './ProviderPicker';
import { useLastBackfill } from './queries';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-[0.625rem] font-medium uppercase tracking-wider text-zinc-400">{label}</dt>
      <dd className="mt-0.5 truncate text-sm text-zinc-100">{children}</dd>
    </div>
  );
}

function LastBackfill({ symbol, onOpenJob }: { symbol: string; onOpenJob: (jobId: string) => void }) {
  const last = useLastBackfill(symbol);
  if (last.isPending) return <span className="text-zinc-400">…</span>;
  const job = last.data;
  if (!job) return <span className="text-zinc-400">none recorded</span>;
  return (
    <span className="flex items-center gap-2">
      <JobStatusBadge status={job.status} />
      <button type="button" onClick={() => onOpenJob(job.job_id)} className="text-sky-400 hover:underline">
        {formatAgo(job.created_at)}
      </button>
    </span>
  );
}

/** The hours the series keeps, as the calendar counts them (docs/sessions.md). */
function tradingHours(asset: SymbolSummary): string {
  if (asset.asset_class === 'crypto') return '24/7';
  if (asset.asset_class === 'fx') return 'Sun 17:00 – Fri 17:00 New York';
  return asset.session === 'extended' ? 'Extended, 04:00–20:00 New York' : 'Regular, 09:30–16:00 New York';
}

export function OverviewTab({
  asset,
  onBackfill,
  onOpenJob,
}: {
  asset: SymbolSummary;
  onBackfill: () => void;
  onOpenJob: (jobId: string) => void;
}) {
  return (
    <div className="flex flex-col gap-5 px-5 py-4">
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-4">
        <Fact label="Name">{asset.name ?? '—'}</Fact>
        <Fact label="Class">{asset.asset_class}</Fact>
        <Fact label="Exchange">{asset.exchange ?? '—'}</Fact>
        <Fact label="Currency">{asset.currency ?? '—'}</Fact>
        <Fact label="Hours">{tradingHours(asset)}</Fact>
        <Fact label="Status">
          <StatusBadge status={asset.status} />
        </Fact>
        <Fact label="Records">{formatInt(asset.records)}</Fact>
        <div className="min-w-0">
          <ProviderPicker symbol={asset.symbol} provider={asset.provider} />
        </div>
        <Fact label="Last backfill">
          <LastBackfill symbol={asset.symbol} onOpenJob={onOpenJob} />
        </Fact>
      </dl>
      {asset.last_error && (
        <p className="rounded-md border border-rose-500/30 bg-rose-500/10 px-3 py-2 text-sm text-rose-200">
          Last error: {asset.last_error}
        </p>
      )}
      <div>
        <div className="mb-2 flex items-center justify-between">
          <h3 className="text-xs font-semibold uppercase tracking-wider text-zinc-400">Coverage</h3>
          <Button size="sm" variant="secondary" onClick={onBackfill}>
            Backfill this symbol…
          </Button>
        </div>
        <table aria-label="Coverage by timeframe" className="w-full text-sm">
          <thead>
            <tr className="border-b border-zinc-800 text-left text-[0.6875rem] uppercase tracking-wider text-zinc-400">
              <th scope="col" className="py-1.5 pr-3 font-semibold">
                Timeframe
              </th>
              <th scope="col" className="py-1.5 pr-3 font-semibold">
                First
              </th>
              <th scope="col" className="py-1.5 pr-3 font-semibold">
                Last
              </th>
              <th scope="col" className="py-1.5 pr-3 text-right font-semibold">
                Count
              </th>
              <th scope="col" className="py-1.5 text-right font-semibold">
                Age
              </th>
            </tr>
          </thead>
          <tbody className="tabular-nums">
            {TIMEFRAME_LIST.map((tf) => {
              const c = asset.coverage.find((x) => x.timeframe === tf);
              const has = c !== undefined && c.count > 0;
              return (
                <tr key={tf} className="border-b border-zinc-800/60">
                  <th scope="row" className="py-1.5 pr-3 text-left font-mono font-medium normal-case text-zinc-300">
                    {tf}
                  </th>
                  <td className="py-1.5 pr-3 text-zinc-300">
                    {has ? formatUtc(c.first) : <span className="text-zinc-400">—</span>}
                  </td>
                  <td className="py-1.5 pr-3 text-zinc-300">
                    {has ? formatUtc(c.last) : <span className="text-zinc-400">—</span>}
                  </td>
                  <td className="py-1.5 pr-3 text-right text-zinc-100">
                    {has ? formatInt(c.count) : <span className="text-zinc-400">0</span>}
                  </td>
                  <td className="py-1.5 text-right text-zinc-400">{has ? formatAge(c.last) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <CorporateActions symbol={asset.symbol} />
    </div>
  );
}
