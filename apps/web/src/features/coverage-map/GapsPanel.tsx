import type { Timeframe } from '@candlebase/contracts';
import { useQuery } from '@tanstack/react-query';
import { friendlyMessage } from '../../lib/errors';
import { formatInt, pluralize } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';

const short = (iso: string) =>
  iso
    .replace('T', ' ')
    .replace(/:00\.000Z$/, '')
    .replace(/ 00:00$/, '');

/** The missing runs of one cell's span, told apart into gaps and quiet periods (enrichment.coverage). */
export function GapsPanel({
  symbol,
  timeframe,
  from,
  to,
  onClose,
}: {
  symbol: string;
  timeframe: Timeframe;
  from: string;
  to: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const q = useQuery(trpc.enrichment.coverage.queryOptions({ symbol, timeframe, from, to }));
  const c = q.data;
  return (
    <section
      aria-label={`Gaps of ${symbol}`}
      className="flex w-72 shrink-0 flex-col gap-2 rounded-md border border-zinc-800 p-3 text-xs"
    >
      <div className="flex items-center justify-between">
        <h3 className="font-semibold text-zinc-100">
          {symbol} {timeframe}
        </h3>
        <button
          type="button"
          onClick={onClose}
          className="rounded px-1 text-zinc-400 hover:bg-zinc-800"
          aria-label="Close gaps"
        >
          ×
        </button>
      </div>
      <p className="text-zinc-400">
        {short(from)} to {short(to)} (UTC)
      </p>
      {q.error && <p role="alert">{friendlyMessage(q.error)}</p>}
      {c && (
        <>
          <p className="text-zinc-300">
            {formatInt(c.window.count)} of {formatInt(c.window.expected)} bars stored,{' '}
            {formatInt(c.window.missing_bars)} missing: {pluralize(c.gaps.ranges, 'gap')} ({formatInt(c.gaps.bars)}{' '}
            bars), {pluralize(c.quiet.ranges, 'quiet period')} ({formatInt(c.quiet.bars)} bars)
          </p>
          {c.missing.length === 0 ? (
            <p className="text-zinc-500">Nothing missing.</p>
          ) : (
            <ul aria-label="Missing ranges" className="max-h-64 overflow-auto">
              {c.missing.map((m) => (
                <li key={m.from} className="border-t border-zinc-800 py-1 tabular-nums text-zinc-300">
                  <span className={m.kind === 'gap' ? 'text-rose-400' : 'text-slate-400'}>{m.kind}</span>{' '}
                  {short(m.from)} to {short(m.to)} ({formatInt(m.bars)})
                </li>
              ))}
            </ul>
          )}
          {c.missing_truncated && <p className="text-zinc-500">The first 500 ranges are listed.</p>}
        </>
      )}
    </section>
  );
}
