import { calendarFor, latestClosedBar } from '@candlebase/calendar';
import {
  type AssetClass,
  ConflictError,
  type Coverage,
  guessCurrency,
  isIntraday,
  NotFoundError,
  type SessionPolicy,
  type SymbolAddInput,
  type SymbolRemoveResult,
  type SymbolStatus,
  type SymbolSummary,
  type Timeframe,
  timeframeMs,
} from '@candlebase/contracts';
import { type Db, type Executor, queryRows, SYMBOLS_CHANNEL } from '@candlebase/db';
import type { Row } from '@candlebase/db/rows';
import { sql } from 'drizzle-orm';
import { UNIT_IS_BUSY } from './busy-series';

/** Intraday series count as fresh while their newest bar is at most this far behind what could exist. */
const INTRADAY_GRACE_MS = 30 * 60_000;

/**
 * The newest bar that should exist for a calendar and timeframe at `now`, as epoch ms and in
 * `toISOString()` form: computed once per pair, not once per series.
 */
export type ExpectedLast = (
  assetClass: AssetClass,
  timeframe: Timeframe,
  session?: SessionPolicy,
) => { ms: number; iso: string } | null;

export function expectedLastBars(now: number): ExpectedLast {
  const memo = new Map<string, { ms: number; iso: string } | null>();
  return (assetClass, tf, session = 'regular') => {
    const cal = calendarFor(assetClass, session);
    const key = `${cal}:${tf}`;
    let v = memo.get(key);
    if (v === undefined) {
      const grace = isIntraday(tf) ? INTRADAY_GRACE_MS : 0;
      const ms = latestClosedBar(cal, tf, now - grace);
      v = ms === null ? null : { ms, iso: new Date(ms).toISOString() };
      memo.set(key, v);
    }
    return v;
  };
}

/** `toISOString()` output (years 0000 to 9999) orders as text in time order: no parsing needed. */
const CANONICAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export function statusOf(
  assetClass: AssetClass,
  coverage: Coverage[],
  now: number,
  expectedLast: ExpectedLast = expectedLastBars(now),
  session: SessionPolicy = 'regular',
): SymbolStatus {
  const withData = coverage.filter((c) => c.count > 0 && c.last);
  if (withData.length === 0) return 'no_data';
  const fresh = withData.every((c) => {
    const expected = expectedLast(assetClass, c.timeframe as Timeframe, session);
    const last = c.last ?? '';
    return expected === null || (CANONICAL.test(last) ? last >= expected.iso : Date.parse(last) >= expected.ms);
  });
  return fresh ? 'fresh' : 'stale';
}

/** `and <column> = any(only)`, or nothing for every symbol. */
const onlySymbols = (column: string, only: readonly string[] | undefined) =>
  only ? sql`and ${sql.raw(column)} = any(${sql.param([...only])}::text[])` : sql``;

export async function busySymbols(db: Executor, only?: readonly string[]): Promise<Set<string>> {
  const rows = await queryRows<{ symbol: string }>(
    db,
    sql`select distinct u.symbol from backfill_job_progress u join backfill_jobs j on j.id = u.job_id
        where ${UNIT_IS_BUSY} ${onlySymbols('u.symbol', only)}`,
  );
  return new Set(rows.map((r) => r.symbol));
}

/**
 * Symbols whose latest finished unit failed, with its message. Only symbols with a failed unit can
 * qualify, so those are found first (a partial index keeps them at hand however long the unit
 * history grows), then each one's latest finished unit.
 */
async function lastErrors(db: Executor, only?: readonly string[]): Promise<Map<string, string>> {
  const rows = await queryRows<{ symbol: string; error_message: string | null }>(
    db,
    sql`select f.symbol, l.error_message
        from (select distinct symbol from backfill_job_progress
              where status = 'failed' ${onlySymbols('symbol', only)}) f
        cross join lateral (
          select p.status, p.error_message from backfill_job_progress p
          where p.symbol = f.symbol and p.status in ('completed', 'failed')
          order by p.completed_at desc nulls last limit 1) l
        where l.status = 'failed'`,
  );
  return new Map(rows.map((r) => [r.symbol, r.error_message ?? 'failed']));
}

const TIMEFRAME_ORDER = (a: Coverage, b: Coverage) => timeframeMs(a.timeframe) - timeframeMs(b.timeframe);

/**
 * A timestamp column in `toISOString()` form, formatted by the server: 50,000 of them per list
 * cost the server less to print than us to re-parse. (Past year 9999 this would differ; the
 * contracts stop at 2200.)
 */
const ISO = (column: 'updated_at' | 'first_ts' | 'last_ts') =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * Every symbol with its coverage and status. Two flat reads (symbols, coverage) joined here: a
 * json_agg per symbol cost the server more to build and us more to parse, at 10,000 symbols.
 */
export async function listSymbols(
  db: Db,
  opts: { symbols?: readonly string[]; now: number },
): Promise<SymbolSummary[]> {
  const now = opts.now;
  const only = opts.symbols;
  const [rows, coverageRows, busy, errors] = await Promise.all([
    queryRows<Row>(
      db,
      sql`select symbol, name, asset_class, exchange, currency, provider, session, active, ${ISO('updated_at')} as updated_at
          from symbols where true ${onlySymbols('symbol', only)} order by symbol`,
    ),
    queryRows<Row>(
      db,
      sql`select symbol, timeframe, ${ISO('first_ts')} as first_ts, ${ISO('last_ts')} as last_ts, count::float8 as count
          from series_coverage where true ${onlySymbols('symbol', only)}`,
    ),
    busySymbols(db, only),
    lastErrors(db, only),
  ]);
  const coverageOf = new Map<string, Coverage[]>();
  for (const c of coverageRows) {
    const symbol = String(c.symbol);
    let list = coverageOf.get(symbol);
    if (!list) {
      list = [];
      coverageOf.set(symbol, list);
    }
    list.push({
      timeframe: String(c.timeframe) as Timeframe,
      first: c.first_ts == null ? null : String(c.first_ts),
      last: c.last_ts == null ? null : String(c.last_ts),
      count: Number(c.count),
    });
  }
  const expectedLast = expectedLastBars(now);
  return rows.map((r) => {
    const symbol = String(r.symbol);
    const assetClass = String(r.asset_class) as AssetClass;
    const session: SessionPolicy = r.session === 'extended' ? 'extended' : 'regular';
    const coverage = coverageOf.get(symbol) ?? [];
    coverage.sort(TIMEFRAME_ORDER);
    let lastCandle: string | null = null;
    let records = 0;
    for (const c of coverage) {
      if (c.last && (!lastCandle || c.last > lastCandle)) lastCandle = c.last;
      records += c.count;
    }
    const error = errors.get(symbol) ?? null;
    const status: SymbolStatus = busy.has(symbol)
      ? 'backfilling'
      : error
        ? 'error'
        : statusOf(assetClass, coverage, now, expectedLast, session);
    return {
      symbol,
      name: r.name == null ? null : String(r.name),
      asset_class: assetClass,
      exchange: r.exchange == null ? null : String(r.exchange),
      currency: r.currency == null ? null : String(r.currency),
      provider: r.provider == null ? null : String(r.provider),
      session,
      active: r.active === true || r.active === 't',
      status,
      coverage,
      last_candle_at: lastCandle,
      records,
      last_error: error,
      updated_at: String(r.updated_at),
    };
  });
}

/** One symbol as `listSymbols` has it; `now` decides fresh from stale. */
export async function getSymbol(db: Db, symbol: string, now: number): Promise<SymbolSummary> {
  const [row] = await listSymbols(db, { symbols: [symbol], now });
  if (!row) throw new NotFoundError(`Symbol ${symbol} is not in the watchlist`);
  return row;
}

export async function addSymbol(
  db: Db,
  input: SymbolAddInput & { symbol: string },
  guess: AssetClass,
  providerOf: (assetClass: AssetClass) => string,
  now: number,
): Promise<SymbolSummary> {
  const assetClass = input.asset_class ?? guess;
  await db.transaction(async (tx) => {
    const rows = await queryRows<{ symbol: string }>(
      tx,
      sql`insert into symbols (symbol, name, asset_class, exchange, currency, session, provider)
          values (${input.symbol}, ${input.name ?? null}, ${assetClass}, ${input.exchange ?? null},
                  ${input.currency ?? guessCurrency(input.symbol)}, ${input.session ?? 'regular'}, ${providerOf(assetClass)})
          on conflict (symbol) do nothing returning symbol`,
    );
    if (rows.length === 0) throw new ConflictError(`Symbol ${input.symbol} is already in the watchlist`);
    // Delivered at commit, to every process's symbol list.
    await tx.execute(sql`select pg_notify(${SYMBOLS_CHANNEL}, ${input.symbol})`);
  });
  return getSymbol(db, input.symbol, now);
}

/**
 * Points the symbol at another provider: its next backfills and refreshes fetch from there. Bars
 * already stored keep their `source`; a job already queued keeps the provider it was created with.
 */
export async function setSymbolProvider(db: Db, symbol: string, provider: string, now: number): Promise<SymbolSummary> {
  await db.transaction(async (tx) => {
    const rows = await queryRows<{ symbol: string }>(
      tx,
      sql`update symbols set provider = ${provider}, updated_at = now() where symbol = ${symbol} returning symbol`,
    );
    if (rows.length === 0) throw new NotFoundError(`Symbol ${symbol} is not in the watchlist`);
    await tx.execute(sql`select pg_notify(${SYMBOLS_CHANNEL}, ${symbol})`);
  });
  return getSymbol(db, symbol, now);
}

/**
 * Removes the symbol; refused while a backfill is working on it. Its candles go too, with every
 * summary the writer keeps of them, unless `keepCandles`: then candles, `series_coverage`,
 * `candle_days`, split suspects and actions all stay as they are, still in step with one another,
 * and the symbol added again later reads them as before.
 */
export async function removeSymbol(
  db: Db,
  symbol: string,
  options: { keepCandles?: boolean | undefined } = {},
): Promise<SymbolRemoveResult> {
  if ((await busySymbols(db, [symbol])).has(symbol)) {
    throw new ConflictError(`Symbol ${symbol} is being backfilled; cancel the job first`);
  }
  return db.transaction(async (tx) => {
    const found = await queryRows<{ symbol: string }>(
      tx,
      sql`delete from symbols where symbol = ${symbol} returning symbol`,
    );
    if (found.length === 0) throw new NotFoundError(`Symbol ${symbol} is not in the watchlist`);
    await tx.execute(sql`select pg_notify(${SYMBOLS_CHANNEL}, ${symbol})`);
    if (options.keepCandles) {
      const kept = await queryRows<{ n: number }>(
        tx,
        sql`select coalesce(sum(count), 0)::int as n from series_coverage where symbol = ${symbol}`,
      );
      return { symbol, candles_deleted: 0, candles_kept: kept[0]?.n ?? 0 };
    }
    const deleted = await queryRows<{ n: number }>(
      tx,
      sql`with d as (delete from candles where symbol = ${symbol} returning 1) select count(*)::int as n from d`,
    );
    await tx.execute(sql`delete from series_coverage where symbol = ${symbol}`);
    await tx.execute(sql`delete from candle_days where symbol = ${symbol}`);
    await tx.execute(sql`delete from split_suspects where symbol = ${symbol}`);
    // Its actions go with its candles: a symbol added again later fetches them afresh.
    await tx.execute(sql`delete from corporate_actions where symbol = ${symbol}`);
    return { symbol, candles_deleted: deleted[0]?.n ?? 0, candles_kept: 0 };
  });
}
