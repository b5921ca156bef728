import { calendarFor, latestClosedBar } from '@candlebase/calendar';
import {
  type AssetClass,
  type Coverage,
  isIntraday,
  type SymbolAddInput,
  type SymbolStatus,
  type SymbolSummary,
  type Timeframe,
  timeframeMs,
} from '@candlebase/contracts';
import { type Db, type Executor, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import { iso, isoRequired, type Row } from '../backfill/rows';
import { ConflictError, NotFoundError } from '../errors';

/** Intraday series count as fresh while their newest bar is at most this far behind what could exist. */
const INTRADAY_GRACE_MS = 30 * 60_000;

export function statusOf(assetClass: AssetClass, coverage: Coverage[], now: number): SymbolStatus {
  const withData = coverage.filter((c) => c.count > 0 && c.last);
  if (withData.length === 0) return 'no_data';
  const cal = calendarFor(assetClass);
  const fresh = withData.every((c) => {
    const tf = c.timeframe as Timeframe;
    const grace = isIntraday(tf) ? INTRADAY_GRACE_MS : 0;
    const expected = latestClosedBar(cal, tf, now - grace);
    return expected === null || Date.parse(c.last ?? '') >= expected;
  });
  return fresh ? 'fresh' : 'stale';
}

async function busySymbols(db: Executor, only?: string): Promise<Set<string>> {
  const rows = await queryRows<{ symbol: string }>(
    db,
    sql`select distinct u.symbol from backfill_job_progress u join backfill_jobs j on j.id = u.job_id
        where u.status in ('pending', 'running') and j.status in ('queued', 'running')
        ${only ? sql`and u.symbol = ${only}` : sql``}`,
  );
  return new Set(rows.map((r) => r.symbol));
}

async function lastErrors(db: Executor, only?: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ symbol: string; status: string; error_message: string | null }>(
    db,
    sql`select distinct on (symbol) symbol, status, error_message from backfill_job_progress
        where status in ('completed', 'failed') ${only ? sql`and symbol = ${only}` : sql``}
        order by symbol, completed_at desc nulls last`,
  );
  return new Map(rows.filter((r) => r.status === 'failed').map((r) => [r.symbol, r.error_message ?? 'failed']));
}

function parseCoverage(v: unknown): Coverage[] {
  const list = (typeof v === 'string' ? JSON.parse(v) : (v ?? [])) as Row[];
  return list
    .map((c) => ({
      timeframe: String(c.timeframe) as Timeframe,
      first: iso(c.first),
      last: iso(c.last),
      count: Number(c.count),
    }))
    .sort((a, b) => timeframeMs(a.timeframe) - timeframeMs(b.timeframe));
}

export async function listSymbols(db: Db, opts: { symbol?: string; now?: number } = {}): Promise<SymbolSummary[]> {
  const now = opts.now ?? Date.now();
  const [rows, busy, errors] = await Promise.all([
    queryRows<Row>(
      db,
      sql`select s.symbol, s.name, s.asset_class, s.exchange, s.currency, s.provider, s.active, s.updated_at,
            coalesce(json_agg(json_build_object('timeframe', c.timeframe, 'first', c.first_ts, 'last', c.last_ts, 'count', c.count))
              filter (where c.symbol is not null), '[]'::json) as coverage
          from symbols s left join series_coverage c on c.symbol = s.symbol
          ${opts.symbol ? sql`where s.symbol = ${opts.symbol}` : sql``}
          group by s.symbol order by s.symbol`,
    ),
    busySymbols(db, opts.symbol),
    lastErrors(db, opts.symbol),
  ]);
  return rows.map((r) => {
    const symbol = String(r.symbol);
    const assetClass = String(r.asset_class) as AssetClass;
    const coverage = parseCoverage(r.coverage);
    const lastCandle = coverage.reduce<string | null>((m, c) => (c.last && (!m || c.last > m) ? c.last : m), null);
    const error = errors.get(symbol) ?? null;
    const status: SymbolStatus = busy.has(symbol)
      ? 'backfilling'
      : error
        ? 'error'
        : statusOf(assetClass, coverage, now);
    return {
      symbol,
      name: r.name == null ? null : String(r.name),
      asset_class: assetClass,
      exchange: r.exchange == null ? null : String(r.exchange),
      currency: r.currency == null ? null : String(r.currency),
      provider: r.provider == null ? null : String(r.provider),
      active: r.active === true || r.active === 't',
      status,
      coverage,
      last_candle_at: lastCandle,
      records: coverage.reduce((n, c) => n + c.count, 0),
      last_error: error,
      updated_at: isoRequired(r.updated_at),
    };
  });
}

export async function getSymbol(db: Db, symbol: string): Promise<SymbolSummary> {
  const [row] = await listSymbols(db, { symbol });
  if (!row) throw new NotFoundError(`Symbol ${symbol} is not in the watchlist`);
  return row;
}

export async function addSymbol(
  db: Db,
  input: SymbolAddInput & { symbol: string },
  guess: AssetClass,
): Promise<SymbolSummary> {
  const rows = await queryRows<{ symbol: string }>(
    db,
    sql`insert into symbols (symbol, name, asset_class, exchange, currency)
        values (${input.symbol}, ${input.name ?? null}, ${input.asset_class ?? guess}, ${input.exchange ?? null}, ${input.currency ?? null})
        on conflict (symbol) do nothing returning symbol`,
  );
  if (rows.length === 0) throw new ConflictError(`Symbol ${input.symbol} is already in the watchlist`);
  return getSymbol(db, input.symbol);
}

/** Removes the symbol and its candles; refused while a backfill is working on it. */
export async function removeSymbol(db: Db, symbol: string): Promise<{ symbol: string; candles_deleted: number }> {
  if ((await busySymbols(db, symbol)).has(symbol)) {
    throw new ConflictError(`Symbol ${symbol} is being backfilled; cancel the job first`);
  }
  return db.transaction(async (tx) => {
    const found = await queryRows<{ symbol: string }>(
      tx,
      sql`delete from symbols where symbol = ${symbol} returning symbol`,
    );
    if (found.length === 0) throw new NotFoundError(`Symbol ${symbol} is not in the watchlist`);
    const deleted = await queryRows<{ n: number }>(
      tx,
      sql`with d as (delete from candles where symbol = ${symbol} returning 1) select count(*)::int as n from d`,
    );
    await tx.execute(sql`delete from series_coverage where symbol = ${symbol}`);
    return { symbol, candles_deleted: deleted[0]?.n ?? 0 };
  });
}
