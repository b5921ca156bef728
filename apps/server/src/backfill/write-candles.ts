import {
  addCandleDays,
  barsPerDay,
  canCopy,
  copyInto,
  type Executor,
  queryRows,
  recordSplitSuspects,
  recountCandleDays,
  utcDay,
} from '@candlebase/db';
import type { ProviderCandle } from '@candlebase/providers';
import { sql } from 'drizzle-orm';

export interface PageWrite {
  symbol: string;
  timeframe: string;
  source: string;
  /** Ascending by ts, no repeats (as `cleanPage` leaves them). */
  candles: readonly ProviderCandle[];
  /** When the page was fetched, by the engine's clock (epoch ms); stored as each bar's `fetched_at`. */
  fetchedAt?: number | null | undefined;
}

/** What a page write did: rows that are new, and stored rows whose values it changed (revisions). */
export interface WriteCount {
  inserted: number;
  updated: number;
}

/** The columns a page's COPY fills, in the order its binary rows carry them. */
export const COPY_COLUMNS = [
  'symbol',
  'timeframe',
  'ts',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'vwap',
  'trades',
  'source',
  'fetched_at',
];

const COPY_TARGET = { table: 'candles', columns: COPY_COLUMNS, format: 'binary' } as const;

/**
 * Writes one page inside the caller's transaction and says how many rows are new and how many
 * stored rows it revised; the gap index and the split suspects of the span follow in the same
 * transaction. Two paths, one answer:
 * - fast (`copy`): when no stored candle of the series falls inside the page's [first, last], the
 *   page is COPYed (binary) straight into `candles`: every row is new. Should a concurrent writer
 *   store one of them first, the COPY fails with a unique violation and the transaction is lost:
 *   the caller runs it again with `copy` off (see `writePage`).
 * - merge: `INSERT ... SELECT FROM unnest(...) ON CONFLICT DO UPDATE ... WHERE` the values differ,
 *   so a stored bar that the provider has since revised takes the new values, one with the same
 *   values is left alone, and re-running an unchanged range counts 0 and 0.
 */
export async function insertCandles(tx: Executor, page: PageWrite, copy = true): Promise<WriteCount> {
  const count = await storeCandles(tx, page, copy);
  const first = page.candles[0];
  const last = page.candles[page.candles.length - 1];
  if (first && last && count.inserted + count.updated > 0) await recordSplitSuspects(tx, page, first.ts, last.ts);
  return count;
}

async function storeCandles(tx: Executor, page: PageWrite, copy: boolean): Promise<WriteCount> {
  const n = page.candles.length;
  const first = page.candles[0];
  const last = page.candles[n - 1];
  if (!first || !last) return { inserted: 0, updated: 0 };
  if (copy && canCopy(tx) && (await spanIsEmpty(tx, page.symbol, page.timeframe, first.ts, last.ts))) {
    const data = encodeCopyBinary(page);
    if (data) {
      await copyInto(tx, COPY_TARGET, data);
      await addCandleDays(tx, page, page.source, barsPerDay(page.candles.map((c) => c.ts)));
      return { inserted: n, updated: 0 };
    }
  }
  return mergeCandles(tx, page);
}

/**
 * Whether the series has no candle in [fromMs, toMs]. Asked as "the first one, in key order" so
 * that the primary key answers it with a probe whatever the planner guesses of the range (an
 * EXISTS may be planned as a sequential scan).
 */
async function spanIsEmpty(tx: Executor, symbol: string, timeframe: string, fromMs: number, toMs: number) {
  const rows = await queryRows<{ ts: unknown }>(
    tx,
    sql`select ts from candles where symbol = ${symbol} and timeframe = ${timeframe}
          and ts >= to_timestamp(${fromMs} / 1000.0) and ts <= to_timestamp(${toMs} / 1000.0)
        order by ts limit 1`,
  );
  return rows.length === 0;
}

/** A unique violation, wherever the driver or drizzle put it. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/**
 * The merge path: one statement, unnest()ed column arrays, ON CONFLICT DO UPDATE only where a value
 * differs. `xmax = 0` tells a row this statement inserted from one it updated (an updated row
 * carries this transaction's id there), on Postgres and PGlite alike; the counts are summed in
 * the statement, per UTC day, so that a 50,000-bar page returns a row a day, not 50,000. The
 * gap index (`candle_days`) takes the new rows; a day with a revision is counted again, since a
 * revision may change a bar's source.
 */
export async function mergeCandles(tx: Executor, page: PageWrite): Promise<WriteCount> {
  const n = page.candles.length;
  if (n === 0) return { inserted: 0, updated: 0 };
  const ts = new Array<number>(n);
  const open = new Array<number>(n);
  const high = new Array<number>(n);
  const low = new Array<number>(n);
  const close = new Array<number>(n);
  const volume = new Array<number>(n);
  const vwap = new Array<number | null>(n);
  const trades = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const c = page.candles[i] as ProviderCandle;
    ts[i] = c.ts;
    open[i] = c.open;
    high[i] = c.high;
    low[i] = c.low;
    close[i] = c.close;
    volume[i] = c.volume;
    vwap[i] = c.vwap;
    trades[i] = c.trades === null ? null : Math.round(c.trades);
  }
  const fetchedAt = page.fetchedAt ?? null;
  const rows = await queryRows<{ day: number; inserted: number; updated: number }>(
    tx,
    sql`
    with written as (
      insert into candles (symbol, timeframe, ts, open, high, low, close, volume, vwap, trades, source, fetched_at)
      select ${page.symbol}, ${page.timeframe}, to_timestamp(t / 1000.0), o, h, l, c, v, vw, n, ${page.source},
             to_timestamp(${fetchedAt}::float8 / 1000.0)
      from unnest(${sql.param(ts)}::float8[], ${sql.param(open)}::float8[], ${sql.param(high)}::float8[],
                  ${sql.param(low)}::float8[], ${sql.param(close)}::float8[], ${sql.param(volume)}::float8[],
                  ${sql.param(vwap)}::float8[], ${sql.param(trades)}::int[]) as u(t, o, h, l, c, v, vw, n)
      on conflict (symbol, timeframe, ts) do update set
        open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
        volume = excluded.volume, vwap = excluded.vwap, trades = excluded.trades,
        source = excluded.source, fetched_at = excluded.fetched_at, revised = true
      where (candles.open, candles.high, candles.low, candles.close, candles.volume, candles.vwap, candles.trades)
            is distinct from
            (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume, excluded.vwap, excluded.trades)
      returning ts, (xmax = 0) as inserted
    )
    select (extract(epoch from date_trunc('day', ts, 'UTC')) * 1000)::float8 as day,
           count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated
    from written group by 1`,
  );
  let inserted = 0;
  let updated = 0;
  const added = new Map<string, number>();
  const revised: string[] = [];
  for (const r of rows) {
    const day = utcDay(Number(r.day));
    inserted += Number(r.inserted);
    updated += Number(r.updated);
    if (Number(r.updated) > 0) revised.push(day);
    else if (Number(r.inserted) > 0) added.set(day, Number(r.inserted));
  }
  await addCandleDays(tx, page, page.source, added);
  await recountCandleDays(tx, page, revised);
  return { inserted, updated };
}

/** Postgres timestamps count microseconds from 2000-01-01 UTC. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];
const HEADER_BYTES = SIGNATURE.length + 8;
const FIELDS = COPY_TARGET.columns.length;
const INT32_MAX = 2 ** 31 - 1;
const encoder = new TextEncoder();

/**
 * The page in COPY's binary format: no number is printed or parsed on either side. Null when a
 * value does not fit its column (a trade count beyond int4): the merge path then reports it.
 */
export function encodeCopyBinary(page: PageWrite): Uint8Array<ArrayBuffer> | null {
  const symbol = encoder.encode(page.symbol);
  const timeframe = encoder.encode(page.timeframe);
  const source = encoder.encode(page.source);
  // Field count, twelve lengths, the fixed-width values, the three texts.
  const rowBytes = 2 + FIELDS * 4 + 8 * 8 + 4 + symbol.length + timeframe.length + source.length;
  const fetchedAt = page.fetchedAt ?? null;
  const n = page.candles.length;
  const out = new Uint8Array(HEADER_BYTES + n * rowBytes + 2);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out.set(SIGNATURE, 0);
  let o = HEADER_BYTES; // flags and header-extension length stay 0
  const text = (bytes: Uint8Array) => {
    view.setInt32(o, bytes.length);
    out.set(bytes, o + 4);
    o += 4 + bytes.length;
  };
  // int8 microseconds since 2000, written as two 32-bit halves (exact below 2^53).
  const timestamp = (ms: number) => {
    const micros = (ms - PG_EPOCH_MS) * 1000;
    const hi = Math.floor(micros / 2 ** 32);
    view.setInt32(o, 8);
    view.setInt32(o + 4, hi);
    view.setUint32(o + 8, micros - hi * 2 ** 32);
    o += 12;
  };
  const float8 = (x: number) => {
    view.setInt32(o, 8);
    view.setFloat64(o + 4, x);
    o += 12;
  };
  for (let i = 0; i < n; i++) {
    const c = page.candles[i] as ProviderCandle;
    view.setInt16(o, FIELDS);
    o += 2;
    text(symbol);
    text(timeframe);
    timestamp(c.ts);
    float8(c.open);
    float8(c.high);
    float8(c.low);
    float8(c.close);
    float8(c.volume);
    if (c.vwap === null) {
      view.setInt32(o, -1);
      o += 4;
    } else float8(c.vwap);
    if (c.trades === null) {
      view.setInt32(o, -1);
      o += 4;
    } else {
      const trades = Math.round(c.trades);
      if (!(Math.abs(trades) <= INT32_MAX)) return null;
      view.setInt32(o, 4);
      view.setInt32(o + 4, trades);
      o += 8;
    }
    text(source);
    if (fetchedAt === null) {
      view.setInt32(o, -1);
      o += 4;
    } else timestamp(fetchedAt);
  }
  view.setInt16(o, -1);
  o += 2;
  return out.subarray(0, o);
}

/** Keeps the per-series summary in step with a write: count, first and last bar. */
export async function addCoverage(
  tx: Executor,
  symbol: string,
  timeframe: string,
  inserted: number,
  firstTs: number,
  lastTs: number,
): Promise<void> {
  if (inserted === 0) return;
  await tx.execute(sql`
    insert into series_coverage (symbol, timeframe, first_ts, last_ts, count, updated_at)
    values (${symbol}, ${timeframe}, to_timestamp(${firstTs} / 1000.0), to_timestamp(${lastTs} / 1000.0), ${inserted}, now())
    on conflict (symbol, timeframe) do update set
      first_ts = least(series_coverage.first_ts, excluded.first_ts),
      last_ts = greatest(series_coverage.last_ts, excluded.last_ts),
      count = series_coverage.count + excluded.count,
      updated_at = now()`);
}
