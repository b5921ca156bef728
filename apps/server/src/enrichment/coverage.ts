import { countBars, missingRanges } from '@candlebase/calendar';
import { type EnrichmentCoverage, type Timeframe, timeframeMs } from '@candlebase/contracts';
import { type Executor, queryRows } from '@candlebase/db';
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
  now?: number;
}

export interface CoverageAnalysis {
  coverage: EnrichmentCoverage;
  /** Every missing run, gaps and quiet ones, oldest first (the answer lists at most 500). */
  ranges: ClassifiedRange[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

async function seriesStats(db: Executor, symbol: string, timeframe: Timeframe) {
  const rows = await queryRows<{ n: number; first: unknown; last: unknown }>(
    db,
    sql`select count(*)::int as n, (extract(epoch from min(ts)) * 1000)::float8 as first,
               (extract(epoch from max(ts)) * 1000)::float8 as last
        from candles where symbol = ${symbol} and timeframe = ${timeframe}`,
  );
  const r = rows[0];
  return {
    count: Number(r?.n ?? 0),
    first: r?.first == null ? null : Number(r.first),
    last: r?.last == null ? null : Number(r.last),
  };
}

async function windowRows(db: Executor, symbol: string, timeframe: Timeframe, from: number, to: number) {
  const lo = new Date(from).toISOString();
  const hi = new Date(to).toISOString();
  const [stamps, sanity, sources] = await Promise.all([
    queryRows<{ t: unknown }>(
      db,
      sql`select (extract(epoch from ts) * 1000)::float8 as t from candles
          where symbol = ${symbol} and timeframe = ${timeframe} and ts >= ${lo}::timestamptz and ts < ${hi}::timestamptz
          order by ts`,
    ),
    queryRows<{ hb: number; la: number; nv: number }>(
      db,
      sql`select count(*) filter (where high < greatest(open, close))::int as hb,
                 count(*) filter (where low > least(open, close))::int as la,
                 count(*) filter (where volume < 0)::int as nv
          from candles
          where symbol = ${symbol} and timeframe = ${timeframe} and ts >= ${lo}::timestamptz and ts < ${hi}::timestamptz`,
    ),
    // The same primary-key range as above: the series' window, never the whole table.
    queryRows<{ source: string; n: number }>(
      db,
      sql`select source, count(*)::int as n from candles
          where symbol = ${symbol} and timeframe = ${timeframe} and ts >= ${lo}::timestamptz and ts < ${hi}::timestamptz
          group by source order by n desc, source`,
    ),
  ]);
  const s = sanity[0];
  return {
    sources: sources.map((r) => ({ source: String(r.source), bars: Number(r.n) })),
    stamps: stamps.map((r) => Number(r.t)),
    sanity: {
      high_below_body: Number(s?.hb ?? 0),
      low_above_body: Number(s?.la ?? 0),
      negative_volume: Number(s?.nv ?? 0),
    },
  };
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

  const horizon = closedEnd(calendar, q.timeframe, q.now ?? Date.now());
  const from = q.from ? Date.parse(q.from) : stats.first;
  const requestedTo = q.to ? Date.parse(q.to) : stats.last === null ? null : stats.last + step;
  const to = requestedTo === null ? null : Math.min(requestedTo, horizon);

  let ranges: ClassifiedRange[] = [];
  let windowCount = 0;
  let windowExpected = 0;
  let sanity = { high_below_body: 0, low_above_body: 0, negative_volume: 0 };
  let sources: { source: string; bars: number }[] = [];
  if (from !== null && to !== null && to > from) {
    const rows = await windowRows(db, q.symbol, q.timeframe, from, to);
    windowCount = rows.stamps.length;
    sanity = rows.sanity;
    sources = rows.sources;
    windowExpected = countBars(calendar, q.timeframe, from, to);
    const missing = missingRanges(calendar, q.timeframe, from, to, rows.stamps);
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
