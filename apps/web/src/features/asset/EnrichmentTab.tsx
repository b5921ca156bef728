import {
  type EnrichmentCoverage,
  type FeaturePoint,
  isFinished,
  isIntraday,
  TIMEFRAME_LIST,
  type Timeframe,
} from '@candlebase/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { IChartApi, UTCTimestamp } from 'lightweight-charts';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useDialogs } from '../../app/dialogs';
import { friendlyMessage } from '../../lib/errors';
import { formatInt, formatPrice, formatUtc } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { Badge, type Tone } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { ASSET_STALE_MS, useAsset } from './queries';
import { TimeframeSwitch } from './TimeframeSwitch';

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
      <dt className="text-[10px] font-medium uppercase tracking-wider text-zinc-500">{label}</dt>
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

/** Price with EMA and Bollinger overlays, RSI in its own pane; the chart library loads on first use. */
function FeatureChart({ series, intraday }: { series: FeaturePoint[]; intraday: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    let chart: IChartApi | null = null;
    let disposed = false;
    void import('lightweight-charts').then((lc) => {
      if (disposed || !el) return;
      chart = lc.createChart(el, {
        autoSize: true,
        layout: {
          background: { type: lc.ColorType.Solid, color: 'transparent' },
          textColor: '#a1a1aa',
          fontSize: 11,
          attributionLogo: false,
        },
        grid: { vertLines: { color: 'rgba(63,63,70,0.35)' }, horzLines: { color: 'rgba(63,63,70,0.35)' } },
        timeScale: { borderColor: '#3f3f46', timeVisible: intraday, secondsVisible: false },
      });
      const t = (p: FeaturePoint) => Math.floor(Date.parse(p.ts) / 1000) as UTCTimestamp;
      const line = (pick: (p: FeaturePoint) => number | null) =>
        series.flatMap((p) => {
          const value = pick(p);
          return value === null ? [] : [{ time: t(p), value }];
        });
      chart
        .addSeries(lc.CandlestickSeries, {
          upColor: '#34d399',
          downColor: '#fb7185',
          borderVisible: false,
          wickUpColor: '#34d399',
          wickDownColor: '#fb7185',
        })
        .setData(series.map((p) => ({ time: t(p), open: p.open, high: p.high, low: p.low, close: p.close })));
      const overlay = { lineWidth: 1, priceLineVisible: false, lastValueVisible: false } as const;
      chart.addSeries(lc.LineSeries, { ...overlay, color: '#38bdf8', title: 'EMA 20' }).setData(line((p) => p.ema_20));
      chart.addSeries(lc.LineSeries, { ...overlay, color: '#f59e0b', title: 'EMA 50' }).setData(line((p) => p.ema_50));
      const band = { ...overlay, color: 'rgba(167,139,250,0.7)', lineStyle: lc.LineStyle.Dashed };
      chart.addSeries(lc.LineSeries, band).setData(line((p) => p.bb_upper));
      chart.addSeries(lc.LineSeries, band).setData(line((p) => p.bb_lower));
      const rsi = chart.addSeries(
        lc.LineSeries,
        { ...overlay, color: '#e879f9', title: 'RSI 14', lastValueVisible: true },
        1,
      );
      rsi.setData(line((p) => p.rsi_14));
      for (const level of [70, 30]) {
        rsi.createPriceLine({
          price: level,
          color: '#52525b',
          lineWidth: 1,
          lineStyle: lc.LineStyle.Dotted,
          axisLabelVisible: false,
          title: '',
        });
      }
      chart.panes()[1]?.setStretchFactor(0.5);
      chart.timeScale().fitContent();
    });
    return () => {
      disposed = true;
      chart?.remove();
    };
  }, [series, intraday]);
  return (
    <div
      ref={ref}
      className="h-96 w-full"
      role="img"
      aria-label="Price with EMA 20, EMA 50 and Bollinger bands; RSI 14 below"
    />
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
              <span className="ml-auto text-zinc-500">
                {plural(m.bars, 'bar')}
                {m.kind === 'quiet' && ', the provider had no trades'}
              </span>
            </li>
          ))}
          {more > 0 && <li className="px-3 py-1.5 text-zinc-500">and {formatInt(more)} more</li>}
        </ul>
      )}
    </div>
  );
}

const NO_JOB = '00000000-0000-4000-8000-000000000000';

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
  // Follow the fill job here, so the tab can show its end and read the mended series again.
  const job = useQuery(
    trpc.backfill.status.queryOptions(
      { jobId: jobId ?? NO_JOB },
      {
        enabled: jobId !== null,
        refetchInterval: (q) => (q.state.data && isFinished(q.state.data.status) ? false : 1500),
      },
    ),
  );
  const jobDone = job.data ? isFinished(job.data.status) : false;
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
        {job.data && (
          <Badge tone={job.data.status === 'completed' ? 'green' : job.data.status === 'running' ? 'sky' : 'amber'}>
            {job.data.status}
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
          <p className="text-sm text-zinc-500">Checking coverage…</p>
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
          <p className="text-sm text-zinc-500">Computing indicators…</p>
        ) : features.isError ? (
          <p role="alert" className="text-sm text-rose-300">
            {friendlyMessage(features.error)}
          </p>
        ) : latest === null ? (
          <p className="rounded-md border border-dashed border-zinc-800 px-4 py-6 text-center text-sm text-zinc-500">
            No {timeframe} candles for {symbol} yet: backfill it to see indicators.
          </p>
        ) : (
          <>
            <LatestCards p={latest} />
            <div className="rounded-md border border-zinc-800 bg-zinc-950/60 p-2">
              <FeatureChart series={features.data.series} intraday={isIntraday(timeframe)} />
            </div>
          </>
        )}
      </section>
    </div>
  );
}
