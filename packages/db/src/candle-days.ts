import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from './client';

/**
 * `candle_days`, the gap index: bars stored per series, UTC day and source. Every writer of
 * `candles` keeps it in step in the same transaction, as it keeps `series_coverage`.
 */

const DAY_MS = 86_400_000;

/** The UTC day (YYYY-MM-DD) of an instant. */
export const utcDay = (ms: number): string => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

/** Bars per UTC day of ascending timestamps, in one pass. */
export function barsPerDay(stamps: Iterable<number>): Map<string, number> {
  const out = new Map<string, number>();
  let dayStart = Number.NaN;
  let key = '';
  for (const ts of stamps) {
    if (!(ts >= dayStart && ts < dayStart + DAY_MS)) {
      dayStart = Math.floor(ts / DAY_MS) * DAY_MS;
      key = utcDay(dayStart);
    }
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

export interface SeriesKey {
  symbol: string;
  timeframe: string;
}

/** Adds new bars of one source to their days. */
export async function addCandleDays(
  tx: Executor,
  series: SeriesKey,
  source: string,
  days: ReadonlyMap<string, number>,
): Promise<void> {
  if (days.size === 0) return;
  await tx.execute(sql`
    insert into candle_days (symbol, timeframe, day, source, bars)
    select ${series.symbol}, ${series.timeframe}, d::date, ${source}, n
    from unnest(${sql.param([...days.keys()])}::text[], ${sql.param([...days.values()])}::int[]) as u(d, n)
    on conflict (symbol, timeframe, day, source) do update set bars = candle_days.bars + excluded.bars`);
}

/**
 * Counts the given days again from `candles`: after a revision (which may change a bar's source)
 * or a deletion behind the writer's back. Reads only those days' bars.
 */
export async function recountCandleDays(tx: Executor, series: SeriesKey, days: readonly string[]): Promise<void> {
  if (days.length === 0) return;
  const sorted = [...days].sort();
  const lo = sorted[0] as string;
  const hi = utcDay(Date.parse(sorted[sorted.length - 1] as string) + DAY_MS);
  const list = sql.param(sorted);
  await tx.execute(sql`
    delete from candle_days where symbol = ${series.symbol} and timeframe = ${series.timeframe}
      and day = any(${list}::text[]::date[])`);
  await tx.execute(sql`
    insert into candle_days (symbol, timeframe, day, source, bars)
    select symbol, timeframe, (ts at time zone 'UTC')::date, source, count(*)::int from candles
    where symbol = ${series.symbol} and timeframe = ${series.timeframe}
      and ts >= ${lo}::timestamptz and ts < ${hi}::timestamptz
      and (ts at time zone 'UTC')::date = any(${list}::text[]::date[])
    group by 1, 2, 3, 4`);
}

/** Rebuilds a whole series' days (a manual clean-up, or a repair). */
export async function rebuildCandleDays(tx: Executor, series: SeriesKey): Promise<void> {
  await tx.execute(sql`delete from candle_days where symbol = ${series.symbol} and timeframe = ${series.timeframe}`);
  await tx.execute(sql`
    insert into candle_days (symbol, timeframe, day, source, bars)
    select symbol, timeframe, (ts at time zone 'UTC')::date, source, count(*)::int from candles
    where symbol = ${series.symbol} and timeframe = ${series.timeframe}
    group by 1, 2, 3, 4`);
}

export interface StoredDay {
  /** UTC midnight of the day, epoch ms. */
  day: number;
  bars: number;
}

/** A series' stored bars per UTC day in [fromMs, toMs), all sources together, oldest first. */
export async function storedDays(tx: Executor, series: SeriesKey, fromMs: number, toMs: number): Promise<StoredDay[]> {
  const rows = await queryRows<{ day: number; bars: number }>(
    tx,
    sql`select (extract(epoch from day::timestamp) * 1000)::float8 as day, sum(bars)::int as bars from candle_days
        where symbol = ${series.symbol} and timeframe = ${series.timeframe}
          and day >= ${utcDay(fromMs)}::date and day <= ${utcDay(toMs)}::date
        group by day order by day`,
  );
  return rows.map((r) => ({ day: Number(r.day), bars: Number(r.bars) }));
}

/** Bars per source in a window of whole days: the coverage answer's `sources`, from the days. */
export async function sourcesOfDays(
  tx: Executor,
  series: SeriesKey,
  fromMs: number,
  toMs: number,
): Promise<{ source: string; bars: number }[]> {
  const rows = await queryRows<{ source: string; n: number }>(
    tx,
    sql`select source, sum(bars)::int as n from candle_days
        where symbol = ${series.symbol} and timeframe = ${series.timeframe}
          and day >= ${utcDay(fromMs)}::date and day <= ${utcDay(toMs)}::date
        group by source order by n desc, source`,
  );
  return rows.map((r) => ({ source: String(r.source), bars: Number(r.n) }));
}
