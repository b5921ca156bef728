import { type BackfillRequest, type BackfillStatus, backfillRequestSchema, isFinished } from '@candlebase/contracts';
import { type Engine, type Executor, queryRows } from '@candlebase/db';
import type { MarketDataProvider, ProviderCandle } from '@candlebase/providers';
import { sql } from 'drizzle-orm';
import { eventsAfter } from '../backfill/events';
import { getStatus } from '../backfill/job-status';
import { createBackfill } from '../backfill/service';
import { eventually, startHarness } from './harness';

/** What a set of candles is, compactly: how many, and an md5 over every column of every row in key order. */
export interface CandleDigest {
  count: number;
  md5: string;
}

export async function candleDigest(exec: Executor): Promise<CandleDigest> {
  const rows = await queryRows<{ n: number; md5: string | null }>(
    exec,
    sql`select count(*)::int as n,
               md5(coalesce(string_agg(
                 concat_ws('|', symbol, timeframe, (extract(epoch from ts) * 1000)::bigint, open, high, low, close,
                           volume, vwap, trades, source),
                 ',' order by symbol, timeframe, ts), '')) as md5
        from candles`,
  );
  const row = rows[0];
  return { count: Number(row?.n ?? 0), md5: String(row?.md5 ?? '') };
}

export interface UnitRow {
  id: number;
  symbol: string;
  timeframe: string;
  status: string;
  attempts: number;
  records_inserted: number;
  records_fetched: number;
  worker_id: string | null;
  error_message: string | null;
}

/** The job's units as stored, worker and lease included (the API hides those). */
export async function unitRows(exec: Executor, jobId: string): Promise<UnitRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    exec,
    sql`select id, symbol, timeframe, status, attempts, records_inserted::float8 as ri, records_fetched::float8 as rf,
               worker_id, error_message
        from backfill_job_progress where job_id = ${jobId} order by id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    symbol: String(r.symbol),
    timeframe: String(r.timeframe),
    status: String(r.status),
    attempts: Number(r.attempts),
    records_inserted: Number(r.ri),
    records_fetched: Number(r.rf),
    worker_id: r.worker_id == null ? null : String(r.worker_id),
    error_message: r.error_message == null ? null : String(r.error_message),
  }));
}

/** Every event of the job, in id order, as the table holds them. */
export async function allEvents(exec: Executor, jobId: string) {
  return eventsAfter(exec, jobId, '0', 1_000_000);
}

/**
 * Polls until the job has ended (or `timeoutMs` passes) and returns its final status. A failed
 * read counts as "not yet": chaos tests read through connections that the database may just have dropped.
 */
export async function finishedJob(exec: Executor, jobId: string, timeoutMs = 60_000): Promise<BackfillStatus> {
  let lastError = '';
  return eventually(
    async () => {
      const s = await getStatus(exec, jobId, Date.now()).catch((err: unknown) => {
        lastError = err instanceof Error ? err.message.slice(0, 200) : String(err);
        return null;
      });
      return s && isFinished(s.status) ? s : null;
    },
    timeoutMs,
    `job ${jobId} to end${lastError ? ` (last read failed: ${lastError})` : ''}`,
  );
}

/** A request as the API would accept it (trimmed, upper-cased, defaults applied). */
export function backfillRequest(input: {
  symbols: string[];
  timeframes: string[];
  start_date: string;
  end_date: string;
}): BackfillRequest {
  return backfillRequestSchema.parse(input);
}

/**
 * The candles an uninterrupted run of `request` leaves: one in-process server on a fresh
 * database of `engine`, nothing killed, nothing faulted; the synthetic provider unless given one.
 */
export async function uninterruptedRun(
  engine: Engine,
  request: BackfillRequest,
  provider?: MarketDataProvider,
): Promise<CandleDigest> {
  const h = await startHarness(engine, { http: false, provider });
  try {
    const created = await createBackfill(h.running.app.database, request, { provider: h.running.app.provider.name });
    const s = await finishedJob(h.test.database.db, created.job_id, 120_000);
    if (s.status !== 'completed') throw new Error(`The reference run ended ${s.status}: ${s.error}`);
    const digest = await candleDigest(h.test.database.db);
    if (digest.count !== s.total_records_inserted) {
      throw new Error(`The reference run counted ${s.total_records_inserted} records but stored ${digest.count}`);
    }
    return digest;
  } finally {
    await h.close();
  }
}

/** Unit statuses of a job, counted: `{ completed: 6, running: 2 }`. */
export async function unitStatusCounts(exec: Executor, jobId: string): Promise<Record<string, number>> {
  const rows = await queryRows<{ status: string; n: number }>(
    exec,
    sql`select status, count(*)::int as n from backfill_job_progress where job_id = ${jobId} group by status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** A stored bar reads back in the provider's own shape, so tests compare the two directly. */
export type StoredBar = ProviderCandle;

/** One series as stored, oldest first. */
export async function storedBars(exec: Executor, symbol: string, timeframe: string): Promise<StoredBar[]> {
  const rows = await queryRows<Record<string, unknown>>(
    exec,
    sql`select (extract(epoch from ts) * 1000)::float8 as ts, open, high, low, close, volume, vwap, trades
        from candles where symbol = ${symbol} and timeframe = ${timeframe} order by ts`,
  );
  const num = (v: unknown) => (v == null ? null : Number(v));
  return rows.map((r) => ({
    ts: Number(r.ts),
    open: Number(r.open),
    high: Number(r.high),
    low: Number(r.low),
    close: Number(r.close),
    volume: Number(r.volume),
    vwap: num(r.vwap),
    trades: num(r.trades),
  }));
}
