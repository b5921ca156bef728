import {
  type EnrichmentCoverage,
  type FeaturePoint,
  isFinished,
  isIntraday,
  TIMEFRAME_LIST,
  type Timeframe,
} from '@candlebase/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense, useEffect, useState } from 'react';
import { useDialogs } from '../../app/dialogs';
import { friendlyMessage } from '../../lib/errors';
import { formatInt, formatPrice, formatUtc } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { Badge, type Tone } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { useJobProgress } from '../backfill/use-job-progress';
import { FEATURE_LEGEND } from './feature-legend';
import { ASSET_STALE_MS, useAsset } from './queries';
import { TimeframeSwitch } from './TimeframeSwitch';

const FeatureChart = lazy(() => import('./FeatureChart'));

const CALENDAR_LABELS: Record<EnrichmentCoverage['calendar'], string> = {
  nyse: ' (NYSE regular sessions)',
  'nyse-extended': ' (NYSE sessions with extended hours)',
  fx: ' (FX, Sunday to Friday 17:00 New York)',
  '24x7': ' (trades 24/7)',
};

const POINTS = 300;
const MAX_LISTED = 50;
const TREND_TONE: Record<string, Tone> = { uptrend: 'green', downtrend: 'red', ranging: 'neutral' };
const pct = (v: number | null, digits = 1) => (v === null ? '—' : `${(v * 100).toFixed(digits)}%`);
const num = (v: number | null, digits = 2) => (v === null ? '—' : v.toFixed(digits));
const price = (v: number | null) => (v === null ? '—' : formatPrice(v));
// Chrome paints a meter's value with a gradient image: drop it so the colour shows.
const BAR_FULL =
  '[&::-webkit-meter-optimum-value]:bg-none [&::-webkit-meter-optimum-value]:bg-emerald-500 [&::-moz-meter-bar]:bg-emerald-500';
const BAR_PART =
  '[&::-webkit-meter-optimum-value]:bg-none [&::-webkit-meter-optimum-value]:bg-amber-400 [&::-moz-meter-bar]:bg-amber-400';
const plural = (n: number, one: string) => `${formatInt(n)} ${one}${n === 1 ? '' : 's'}`;

function Card({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <div className="min-w-0 rounded-md border border-zinc-800 bg-zinc-950/60 px-3 py-2" title={hint}>
      <dt className="text-[0.625rem] font-medium uppercase tracking-wider text-zinc-400">{label}</dt>
      <dd className="mt-0.5 truncate font-mono text-sm tabular-nums text-zinc-100">{children}</dd>
    </div>
  );
}

function LatestCards({ p }: { p: FeaturePoint }) {
  return (
    <dl aria-label="Latest values" className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-6">
      <Card label="Trend" hint="close vs EMA 20 vs EMA 50">
        {p.trend ? <Badge tone={TREND_TONE[p.trend] ?? 'neutral'}>{p.trend}</Badge> : '—'}
      </Card>
      <Card label="Bands" hint="Bollinger width in the lowest 20% of its last 120 values: compressed">
        {p.compression ? (
          <Badge tone={p.compression === 'compressed' ? 'violet' : 'sky'} dot={false}>
            {p.compression}
          </Badge>
        ) : (
          '—'
        )}
      </Card>
      <Card label="Close">{price(p.close)}</Card>
      <Card label="Log return">{pct(p.log_return, 2)}</Card>
      <Card label="RSI 14">{num(p.rsi_14, 1)}</Card>
      <Card label="ATR 14">{price(p.atr_14)}</Card>
      <Card label="Vol 20 (ann.)">{pct(p.volatility_20)}</Card>
      <Card label="Vol 50 (ann.)">{pct(p.volatility_50)}</Card>
      <Card label="MACD / signal">{`${num(p.macd, 3)} / ${num(p.macd_signal, 3)}`}</Card>
      <Card label="EMA 20 / 50">{`${price(p.ema_20)} / ${price(p.ema_50)}`}</Card>
      <Card label="BB width">{pct(p.bb_width, 2)}</Card>
      <Card label="Volume ratio" hint="volume / mean of the last 20">
        {num(p.volume_ratio)}
      </Card>
    </dl>
  );
}

function CoverageSection({ c }: { c: EnrichmentCoverage }) {
  const value = c.window.coverage_pct;
  const listed = c.missing.slice(0, MAX_LISTED);
  const more = c.gaps.ranges + c.quiet.ranges - listed.length;
  const broken = c.sanity.high_below_body + c.sanity.low_above_body + c.sanity.negative_volume;
  const summary = [
    `${formatInt(c.window.count)} of ${formatInt(c.window.expected)} expected bars`,
    CALENDAR_LABELS[c.calendar],
    c.first ? `, ${formatUtc(c.first)} to ${formatUtc(c.last)}` : '',
    `. ${plural(c.gaps.ranges, 'gap')} (${plural(c.gaps.bars, 'bar')}),`,
    ` ${plural(c.quiet.ranges, 'quiet period')} (${plural(c.quiet.bars, 'bar')}).`,
    broken > 0 ? ` ${plural(broken, 'bar')} break OHLC rules.` : '',
  ].join('');
  const mixed = c.sources.length > 1;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-center gap-3">
        <meter
          aria-label="Coverage"
          min={0}
          max={100}
          value={value ?? 0}
          className={`h-2 flex-1 appearance-none [&::-webkit-meter-bar]:rounded-full [&::-webkit-meter-bar]:border-0 [&::-webkit-meter-bar]:bg-zinc-800 ${value === 100 ? BAR_FULL : BAR_PART}`}
        />
        <span className="w-16 text-right font-mono text-xs tabular-nums text-zinc-300">
          {value === null ? '—' : `${value}%`}
        </span>
      </div>
      <p className="text-xs text-zinc-400">{summary}</p>
      {c.sources.length > 0 && (
        <p className="text-xs text-zinc-400">
          {mixed ? 'Bars from more than one source: ' : 'Source: '}
          <span className={mixed ? 'text-amber-300' : 'text-zinc-300'}>
            {c.sources.map((s) => `${s.source} (${plural(s.bars, 'bar')})`).join(', ')}
          </span>
        </p>
      )}
      {listed.length > 0 && (
        <ul aria-label="Missing ranges" className="max-h-40 overflow-y-auto rounded-md border border-zinc-800 text-xs">
          {listed.map((m) => (
            <li key={m.from} className="flex items-center gap-3 border-b border-zinc-800/60 px-3 py-1.5 last:border-0">
              <Badge tone={m.kind === 'gap' ? 'red' : 'neutral'} dot={m.kind === 'gap'}>
                {m.kind}
              </Badge>
              <span className="font-mono tabular-nums text-zinc-300">
                {formatUtc(m.from)} – {formatUtc(m.to)}
              </span>
              <span className="ml-auto text-zinc-400">
                {plural(m.bars, 'bar')}
                {m.kind === 'quiet' && ', the provider had no trades'}
              </span>
            </li>
          ))}
          {more > 0 && <li className="px-3 py-1.5 text-zinc-400">and {formatInt(more)} more</li>}
        </ul>
      )}
    </div>
  );
}

export function EnrichmentTab({ symbol }: { symbol: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialogs = useDialogs();
  const asset = useAsset(symbol);
  const [picked, setPicked] = useState<Timeframe | null>(null);
  const stored = TIMEFRAME_LIST.filter((tf) => (asset.data?.coverage.find((c) => c.timeframe === tf)?.count ?? 0) > 0);
  const timeframe = picked ?? (stored.includes('1h') ? '1h' : (stored[0] ?? '1h'));
  const input = { symbol, timeframe };
  const features = useQuery(
    trpc.enrichment.features.queryOptions({ ...input, limit: POINTS }, { staleTime: ASSET_STALE_MS }),
  );
  const coverage = useQuery(trpc.enrichment.coverage.queryOptions(input, { staleTime: ASSET_STALE_MS }));
  const fill = useMutation(trpc.enrichment.fillGaps.mutationOptions());
  const jobId = fill.data?.job?.job_id ?? null;
  // Follow the fill job over its progress stream, as the progress dialog does, so the tab can show
  // its end and read the mended series again.
  const { job } = useJobProgress(jobId);
  const jobDone = job ? isFinished(job.status) : false;
  useEffect(() => {
    if (!jobDone) return;
    void queryClient.invalidateQueries(trpc.enrichment.pathFilter());
    void queryClient.invalidateQueries(trpc.symbols.pathFilter());
  }, [jobDone, queryClient, trpc]);
  const latest = features.data?.latest ?? null;
  const gaps = coverage.data?.gaps.ranges ?? 0;

  return (
    <div className="flex flex-col gap-4 px-5 py-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <TimeframeSwitch
          name="enrichment-timeframe"
          value={timeframe}
          onChange={(tf) => {
            setPicked(tf);
            fill.reset();
          }}
        />
        <Button
          size="sm"
          variant="primary"
          onClick={() => fill.mutate(input)}
          disabled={fill.isPending || gaps === 0 || (jobId !== null && !jobDone)}
          aria-busy={fill.isPending}
          title={gaps === 0 ? 'No gaps to fill; quiet periods are left as they are' : 'Backfill exactly the gaps'}
        >
          Fill gaps
        </Button>
      </div>
      <div role="status" className="flex flex-wrap items-center gap-2 text-sm text-zinc-300 empty:hidden">
        {fill.isError && <span className="text-rose-300">{friendlyMessage(fill.error)}</span>}
        {fill.data?.message}
        {job && (
          <Badge tone={job.status === 'completed' ? 'green' : job.status === 'running' ? 'sky' : 'amber'}>
            {job.status}
          </Badge>
        )}
        {jobId && (
          <Button size="sm" variant="ghost" onClick={() => dialogs.openProgress(jobId)}>
            View progress
          </Button>
        )}
      </div>
      <section aria-labelledby="coverage-title" className="flex flex-col gap-2">
        <h3 id="coverage-title" className="text-xs font-semibold uppercase tracking-wider text-zinc-400">
          Coverage and gaps
        </h3>
        {coverage.isPending ? (
          <p className="text-sm text-zinc-400">Checking coverage…</p>
        ) : coverage.isError ? (
          <p role="alert" className="text-sm text-rose-300">
            {friendlyMessage(coverage.error)}
          </p>
        ) : (
          <CoverageSection c={coverage.data} />
        )}
      </section>
      <section aria-labelledby="features-title" className="flex flex-col gap-2">
        <h3 id="features-title" className="text-xs font-semibold uppercase tracking-wider text-zinc-400">
          Indicators{latest && <span className="ml-2 font-normal normal-case">at {formatUtc(latest.ts)}</span>}
        </h3>
        {features.isPending ? (
          <p className="text-sm text-zinc-400">Computing indicators…</p>
        ) : features.isError ? (
          <p role="alert" className="text-sm text-rose-300">
            {friendlyMessage(features.error)}
          </p>
        ) : latest === null ? (
          <p className="rounded-md border border-dashed border-zinc-800 px-4 py-6 text-center text-sm text-zinc-400">
            No {timeframe} candles for {symbol} yet: backfill it to see indicators.
          </p>
        ) : (
          <>
            <LatestCards p={latest} />
            <div className="rounded-md border border-zinc-800 bg-zinc-950/60 p-2">
              <ul aria-label="Chart legend" className="flex flex-wrap gap-x-4 gap-y-1 px-1 pb-1 text-xs text-zinc-300">
                {FEATURE_LEGEND.map((l) => (
                  <li key={l.label} className="inline-flex items-center gap-1.5">
                    <span aria-hidden className="h-0.5 w-3" style={{ background: l.color }} />
                    {l.label}
                  </li>
                ))}
              </ul>
              <Suspense
                fallback={
                  <div className="flex h-96 items-center justify-center text-sm text-zinc-400">Loading chart…</div>
                }
              >
                <FeatureChart series={features.data.series} intraday={isIntraday(timeframe)} />
              </Suspense>
            </div>
          </>
        )}
      </section>
    </div>
  );
}
