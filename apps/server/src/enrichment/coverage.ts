import { type CalendarName, countBars, type MissingRange, missingRanges } from '@candlebase/calendar';
import { type EnrichmentCoverage, type Timeframe, timeframeMs } from '@candlebase/contracts';
import { type Executor, queryRows, sourcesOfDays, storedDays } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import { type ClassifiedRange, type CompletedUnit, classifyMissing, closedEnd, quietSpans } from './classify';
import { calendarOfSymbol } from './series';

export const MAX_LISTED_RANGES = 500;

export interface CoverageQuery {
  symbol: string;
  timeframe: Timeframe;
  from?: string | undefined;
  to?: string | undefined;
  /** The clock: bars not closed by then are not expected. */
  now: number;
}

export interface CoverageAnalysis {
  coverage: EnrichmentCoverage;
  /** Every missing run, gaps and quiet ones, oldest first (the answer lists at most 500). */
  ranges: ClassifiedRange[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Count, first and last bar from the series' summary: never a count of its candles. */
async function seriesStats(db: Executor, symbol: string, timeframe: Timeframe) {
  const rows = await queryRows<{ n: number; first: unknown; last: unknown }>(
    db,
    sql`select count::float8 as n, (extract(epoch from first_ts) * 1000)::float8 as first,
               (extract(epoch from last_ts) * 1000)::float8 as last
        from series_coverage where symbol = ${symbol} and timeframe = ${timeframe}`,
  );
  const r = rows[0];
  return {
    count: Number(r?.n ?? 0),
    first: r?.first == null ? null : Number(r.first),
    last: r?.last == null ? null : Number(r.last),
  };
}

const DAY_MS = 86_400_000;

/**
 * What the window holds, from the gap index (`candle_days`): a day that holds exactly the bars
 * the calendar expects is complete and its bars are never read. Only the runs of days that fall
 * short (with the closed days between them, so that a gap over a weekend stays one gap) and the
 * window's cut edges are read bar by bar, in one statement.
 */
async function windowRows(db: Executor, calendar: CalendarName, q: SeriesWindow) {
  const { symbol, timeframe, from, to } = q;
  const series = { symbol, timeframe };
  const [days, fullSources] = await Promise.all([
    storedDays(db, series, from, to),
    // Whole days inside the window, by source; the cut edges are counted from their bars below.
    sourcesOfDays(db, series, Math.ceil(from / DAY_MS) * DAY_MS, Math.floor(to / DAY_MS) * DAY_MS - DAY_MS),
  ]);
  const storedOn = new Map(days.map((d) => [d.day, d.bars]));
  const spans: { lo: number; hi: number }[] = [];
  let open: { lo: number; hi: number; short: boolean } | null = null;
  let completeBars = 0;
  const close = () => {
    if (open?.short) spans.push({ lo: open.lo, hi: open.hi });
    open = null;
  };
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < to; day += DAY_MS) {
    const lo = Math.max(day, from);
    const hi = Math.min(day + DAY_MS, to);
    const cut = lo > day || hi < day + DAY_MS;
    const expected = countBars(calendar, timeframe, lo, hi);
    const stored = storedOn.get(day) ?? 0;
    if (!cut && expected > 0 && stored === expected) {
      completeBars += stored;
      close();
      continue;
    }
    const short = cut ? stored > 0 || expected > 0 : stored !== expected;
    if (open) {
      open.hi = hi;
      open.short ||= short;
    } else open = { lo, hi, short };
  }
  close();
  const read = spans.length
    ? await queryRows<{ t: number; source: string }>(
        db,
        sql`select (extract(epoch from c.ts) * 1000)::float8 as t, c.source
            from unnest(${sql.param(spans.map((s) => s.lo))}::float8[], ${sql.param(spans.map((s) => s.hi))}::float8[]) as r(lo, hi)
            cross join lateral (
              select ts, source from candles
              where symbol = ${symbol} and timeframe = ${timeframe}
                and ts >= to_timestamp(r.lo / 1000.0) and ts < to_timestamp(r.hi / 1000.0) order by ts) c
            order by c.ts`,
      )
    : [];
  const stamps = read.map((r) => Number(r.t));
  // Sources: whole days from the index, cut edges from the bars just read.
  const bySource = new Map(fullSources.map((s) => [s.source, s.bars]));
  const firstWhole = Math.ceil(from / DAY_MS) * DAY_MS;
  const lastWhole = Math.floor(to / DAY_MS) * DAY_MS;
  for (const r of read) {
    const t = Number(r.t);
    if (t < firstWhole || t >= lastWhole) bySource.set(r.source, (bySource.get(r.source) ?? 0) + 1);
  }
  const sources = [...bySource]
    .map(([source, bars]) => ({ source, bars }))
    .sort((a, b) => b.bars - a.bars || a.source.localeCompare(b.source));
  return { spans, stamps, count: completeBars + stamps.length, sources };
}

/** The missing runs of each span read, given the stamps of all spans (ascending). */
function missingInSpans(
  calendar: CalendarName,
  timeframe: Timeframe,
  spans: readonly { lo: number; hi: number }[],
  stamps: readonly number[],
): MissingRange[] {
  const out: MissingRange[] = [];
  let i = 0;
  for (const span of spans) {
    const start = i;
    while (i < stamps.length && (stamps[i] as number) < span.hi) i++;
    out.push(...missingRanges(calendar, timeframe, span.lo, span.hi, stamps.slice(start, i)));
  }
  return out;
}

interface SeriesWindow {
  symbol: string;
  timeframe: Timeframe;
  from: number;
  to: number;
}

/** Completed units of the series that overlap [from, to): the evidence for "quiet". */
async function completedUnits(
  db: Executor,
  symbol: string,
  timeframe: Timeframe,
  from: number,
  to: number,
): Promise<CompletedUnit[]> {
  const rows = await queryRows<{ rs: unknown; re: unknown; fetched: unknown; done: unknown }>(
    db,
    sql`select (extract(epoch from range_start) * 1000)::float8 as rs, (extract(epoch from range_end) * 1000)::float8 as re,
               records_fetched::float8 as fetched, (extract(epoch from completed_at) * 1000)::float8 as done
        from backfill_job_progress
        where symbol = ${symbol} and timeframe = ${timeframe} and status = 'completed'
          and range_start < ${new Date(to).toISOString()}::timestamptz and range_end > ${new Date(from).toISOString()}::timestamptz`,
  );
  return rows.map((r) => ({
    rangeStart: Number(r.rs),
    rangeEnd: Number(r.re),
    recordsFetched: Number(r.fetched),
    completedAt: r.done == null ? Number(r.re) : Number(r.done),
  }));
}

/**
 * What a series holds against what the market calendar expects: counts, the missing runs told
 * apart into real gaps and quiet periods, and bars that are not candles. The window is the
 * requested range or the series' own first..last; bars that have not closed yet are never missing.
 */
export async function analyseCoverage(db: Executor, q: CoverageQuery): Promise<CoverageAnalysis> {
  const { calendar } = await calendarOfSymbol(db, q.symbol);
  const step = timeframeMs(q.timeframe);
  const stats = await seriesStats(db, q.symbol, q.timeframe);
  const expected =
    stats.first === null || stats.last === null ? 0 : countBars(calendar, q.timeframe, stats.first, stats.last + step);

  const horizon = closedEnd(calendar, q.timeframe, q.now);
  const from = q.from ? Date.parse(q.from) : stats.first;
  const requestedTo = q.to ? Date.parse(q.to) : stats.last === null ? null : stats.last + step;
  const to = requestedTo === null ? null : Math.min(requestedTo, horizon);

  let ranges: ClassifiedRange[] = [];
  let windowCount = 0;
  let windowExpected = 0;
  // Stored bars cannot be otherwise: the candles_ohlc_sane constraint refuses them at the write.
  const sanity = { high_below_body: 0, low_above_body: 0, negative_volume: 0 };
  let sources: { source: string; bars: number }[] = [];
  if (from !== null && to !== null && to > from) {
    const rows = await windowRows(db, calendar, { symbol: q.symbol, timeframe: q.timeframe, from, to });
    windowCount = rows.count;
    sources = rows.sources;
    windowExpected = countBars(calendar, q.timeframe, from, to);
    const missing = missingInSpans(calendar, q.timeframe, rows.spans, rows.stamps);
    const first = missing[0];
    const last = missing[missing.length - 1];
    if (first && last) {
      const units = await completedUnits(db, q.symbol, q.timeframe, first.from, last.to);
      ranges = classifyMissing(calendar, q.timeframe, missing, quietSpans(calendar, q.timeframe, units));
    }
  }

  const tally = (kind: 'gap' | 'quiet') => {
    const of = ranges.filter((r) => r.kind === kind);
    return { ranges: of.length, bars: of.reduce((n, r) => n + r.bars, 0) };
  };
  const missingBars = ranges.reduce((n, r) => n + r.bars, 0);
  return {
    ranges,
    coverage: {
      symbol: q.symbol,
      timeframe: q.timeframe,
      calendar,
      first: iso(stats.first),
      last: iso(stats.last),
      count: stats.count,
      expected,
      window: {
        from: iso(from),
        to: iso(to),
        count: windowCount,
        expected: windowExpected,
        missing_bars: missingBars,
        coverage_pct:
          windowExpected > 0 ? Math.round(((windowExpected - missingBars) / windowExpected) * 10_000) / 100 : null,
      },
      gaps: tally('gap'),
      quiet: tally('quiet'),
      missing: ranges.slice(0, MAX_LISTED_RANGES).map((r) => ({
        from: new Date(r.from).toISOString(),
        to: new Date(r.to).toISOString(),
        bars: r.bars,
        kind: r.kind,
      })),
      missing_truncated: ranges.length > MAX_LISTED_RANGES,
      sources,
      sanity,
    },
  };
}
