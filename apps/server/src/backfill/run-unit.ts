import { timeframeMs } from '@candlebase/contracts';
import { type Db, queryRows } from '@candlebase/db';
import { bool, type PgBoolean } from '@candlebase/db/rows';
import { type ProviderCandle, ProviderError } from '@candlebase/providers';
import { sql } from 'drizzle-orm';
import { redactSecrets } from '../security/redact';
import type { ClaimedUnit } from './claim';
import type { NewEvent } from './events';
import { recordOnJob } from './ledger';
import { MAX_UNIT_ATTEMPTS } from './limits';
import { limitTransaction, type TxTimeouts } from './tx-timeouts';
import { addCoverage, insertCandles, isUniqueViolation } from './write-candles';

/** The claim was taken over (lease expired) or released: stop without writing anything more. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

export class BadDataError extends Error {
  override name = 'BadDataError';
}

/**
 * Drops repeated timestamps (the last one wins) and refuses a page whose bars are not candles
 * (non-finite values, high below low, negative volume), with a message that names the bar.
 */
export function cleanPage(candles: readonly ProviderCandle[], symbol: string, timeframe: string): ProviderCandle[] {
  // Hot: every bar passes here. Name the bar only when refusing it, and skip the de-duplication
  // when the page is already strictly ascending, as providers send it.
  const at = (c: ProviderCandle) => (Number.isFinite(c.ts) ? new Date(c.ts).toISOString() : String(c.ts));
  let ascending = true;
  let previous = Number.NEGATIVE_INFINITY;
  for (const c of candles) {
    const { ts, open, high, low, close, volume } = c;
    if (
      !Number.isFinite(ts) ||
      !Number.isFinite(open) ||
      !Number.isFinite(high) ||
      !Number.isFinite(low) ||
      !Number.isFinite(close) ||
      !Number.isFinite(volume)
    ) {
      throw new BadDataError(
        `The provider sent a bar with a missing or non-numeric value for ${symbol} ${timeframe} at ${at(c)}`,
      );
    }
    if (high < low || high < Math.max(open, close) || low > Math.min(open, close)) {
      throw new BadDataError(
        `The provider sent an inconsistent bar for ${symbol} ${timeframe} at ${at(c)}: high ${high}, low ${low}, open ${open}, close ${close}`,
      );
    }
    if (volume < 0)
      throw new BadDataError(`The provider sent a negative volume for ${symbol} ${timeframe} at ${at(c)}`);
    if (ts <= previous) ascending = false;
    previous = ts;
  }
  if (ascending) return candles.slice();
  const byTs = new Map<number, ProviderCandle>();
  for (const c of candles) byTs.set(c.ts, c);
  const out = [...byTs.values()];
  out.sort((a, b) => a.ts - b.ts);
  return out;
}

export interface PageResult {
  inserted: number;
  /** Stored bars whose values this page changed (the provider revised them). */
  updated: number;
  cancelRequested: boolean;
}

/**
 * Writes one page and the unit's counters in one transaction, fenced by the claim's attempt: a
 * worker that lost its lease writes nothing. The job row is locked last and briefly.
 */
export interface PageWrite {
  /** When the provider answered (`fetched_at`); null leaves it unset. */
  fetchedAt?: number | null;
  /** Bars the provider sent, when more than `page` holds (bars not yet final were left out of it). */
  fetched?: number;
  timeouts?: TxTimeouts | null;
  /** The unit's bars passed once this page is written (bar-progress.ts), told in its progress event. */
  barsDone?: number;
}

export async function writePage(
  db: Db,
  unit: ClaimedUnit,
  source: string,
  page: ProviderCandle[],
  options: PageWrite = {},
): Promise<PageResult> {
  // The COPY fast path fails whole when a concurrent writer stored one of its rows first: write
  // the page again on the merge path, which counts exactly what is new.
  const stamp = {
    fetchedAt: options.fetchedAt ?? null,
    fetched: options.fetched ?? page.length,
    barsDone: options.barsDone,
  };
  const { timeouts } = options;
  return writePageOnce(db, unit, source, page, stamp, true, timeouts).catch((err: unknown) => {
    if (isUniqueViolation(err)) return writePageOnce(db, unit, source, page, stamp, false, timeouts);
    throw err;
  });
}

async function writePageOnce(
  db: Db,
  unit: ClaimedUnit,
  source: string,
  page: ProviderCandle[],
  { fetchedAt, fetched, barsDone }: { fetchedAt: number | null; fetched: number; barsDone: number | undefined },
  copy: boolean,
  timeouts: TxTimeouts | null | undefined,
): Promise<PageResult> {
  const first = page[0];
  const last = page[page.length - 1];
  if (!first || !last) return { inserted: 0, updated: 0, cancelRequested: false };
  const tfMs = timeframeMs(unit.timeframe);
  return db.transaction(async (tx) => {
    await limitTransaction(tx, timeouts, unit);
    const write = { symbol: unit.symbol, timeframe: unit.timeframe, source, candles: page, fetchedAt };
    const { inserted, updated } = await insertCandles(tx, write, copy);
    const owned = await queryRows<{ cancel: PgBoolean; inserted: number; updated: number }>(
      tx,
      sql`update backfill_job_progress u set
            records_fetched = u.records_fetched + ${fetched},
            records_inserted = u.records_inserted + ${inserted},
            records_updated = u.records_updated + ${updated},
            cursor_ts = to_timestamp(${last.ts + tfMs} / 1000.0),
            -- A claim that stores a page made progress: only claims that make none use up the budget.
            attempt_limit = greatest(u.attempt_limit, u.attempts + ${MAX_UNIT_ATTEMPTS - 1})
          from backfill_jobs j
          where u.id = ${unit.id} and u.attempts = ${unit.attempt} and u.status = 'running' and j.id = u.job_id
          returning j.cancel_requested_at is not null as cancel, u.records_inserted::float8 as inserted,
                    u.records_updated::float8 as updated`,
    );
    const row = owned[0];
    if (!row) throw new LeaseLostError(`Unit ${unit.id} attempt ${unit.attempt} is no longer ours`);
    await addCoverage(tx, unit.symbol, unit.timeframe, inserted, first.ts, last.ts);
    await recordOnJob(tx, unit.jobId, () => ({
      kind: 'unit_progress',
      symbol: unit.symbol,
      timeframe: unit.timeframe,
      message: `${unit.symbol} ${unit.timeframe}: ${fetched} fetched, ${inserted} new${updated > 0 ? `, ${updated} revised` : ''}`,
      data: {
        fetched,
        inserted,
        updated,
        unit_records_inserted: Number(row.inserted),
        unit_records_updated: Number(row.updated),
        through: new Date(last.ts).toISOString(),
        ...(barsDone === undefined ? {} : { unit_bars_done: barsDone }),
      },
    }));
    return { inserted, updated, cancelRequested: bool(row.cancel) };
  });
}

/**
 * Records what the provider said about a unit it served in part (a `unit_notice` event), fenced
 * like a page write; false when the claim is no longer ours.
 */
export async function noteUnit(
  db: Db,
  unit: ClaimedUnit,
  message: string,
  timeouts?: TxTimeouts | null,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await limitTransaction(tx, timeouts, unit);
    const owned = await queryRows<{ id: number }>(
      tx,
      sql`select id from backfill_job_progress
          where id = ${unit.id} and attempts = ${unit.attempt} and status = 'running' for update`,
    );
    if (!owned[0]) return false;
    const job = await recordOnJob(
      tx,
      unit.jobId,
      () => ({
        kind: 'unit_notice',
        symbol: unit.symbol,
        timeframe: unit.timeframe,
        message: `${unit.symbol} ${unit.timeframe}: ${message}`,
        data: { notice: message },
      }),
      { refresh: false },
    );
    return job !== null;
  });
}

/** How a claim is settled on its unit; `cancelled` means the job was cancelled (see unit-run.ts). */
export type Outcome =
  | { status: 'completed'; notices?: string[] }
  | { status: 'cancelled' }
  | { status: 'failed'; message: string }
  | { status: 'retry'; message: string; delayMs: number };

/** Ends the claim: final status, duration, the unit's event and the job's aggregates, fenced. */
export async function settleUnit(
  db: Db,
  unit: ClaimedUnit,
  outcome: Outcome,
  seconds: number,
  timeouts?: TxTimeouts | null,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await limitTransaction(tx, timeouts, unit);
    const next = outcome.status === 'retry' ? 'pending' : outcome.status;
    const message = outcome.status === 'failed' || outcome.status === 'retry' ? redactSecrets(outcome.message) : null;
    const delay = outcome.status === 'retry' ? outcome.delayMs : 0;
    const rows = await queryRows<{ fetched: number; inserted: number; updated: number }>(
      tx,
      sql`update backfill_job_progress set
            status = ${next},
            error_message = ${message},
            duration_seconds = coalesce(duration_seconds, 0) + ${seconds},
            completed_at = case when ${next} = 'pending' then null else now() end,
            lease_expires_at = case when ${next} = 'pending' then now() + make_interval(secs => ${delay / 1000}) else null end
          where id = ${unit.id} and attempts = ${unit.attempt} and status = 'running'
          returning records_fetched::float8 as fetched, records_inserted::float8 as inserted,
                    records_updated::float8 as updated`,
    );
    const row = rows[0];
    if (!row) return false;
    const data = {
      records_fetched: Number(row.fetched),
      records_inserted: Number(row.inserted),
      records_updated: Number(row.updated),
      duration_seconds: seconds,
      attempt: unit.attempt,
    };
    return (await recordOnJob(tx, unit.jobId, () => settledEvent(unit, outcome, data))) !== null;
  });
}

/** The event that ends a claim, from its outcome and the unit's totals. */
function settledEvent(
  unit: ClaimedUnit,
  outcome: Outcome,
  data: { records_inserted: number; records_updated: number; duration_seconds: number } & Record<string, number>,
): Omit<NewEvent, 'jobId'> {
  const seconds = data.duration_seconds;
  const label = `${unit.symbol} ${unit.timeframe}`;
  if (outcome.status === 'completed') {
    // What the provider said about serving less than asked belongs with the unit's result.
    const notice = outcome.notices?.length ? outcome.notices.join('; ') : undefined;
    return {
      kind: 'unit_completed',
      symbol: unit.symbol,
      timeframe: unit.timeframe,
      message: `${label}: ${data.records_inserted} records inserted${data.records_updated > 0 ? `, ${data.records_updated} updated` : ''} in ${seconds.toFixed(1)} s${notice ? `; ${notice}` : ''}`,
      data: notice ? { ...data, notice } : data,
    };
  } else if (outcome.status === 'cancelled') {
    return {
      kind: 'unit_cancelled',
      symbol: unit.symbol,
      timeframe: unit.timeframe,
      message: `${label}: cancelled`,
      data,
    };
  } else if (outcome.status === 'failed') {
    return {
      kind: 'unit_failed',
      symbol: unit.symbol,
      timeframe: unit.timeframe,
      message: `${label}: ${outcome.message}`,
      data: { ...data, error: outcome.message },
    };
  } else {
    return {
      kind: 'unit_retrying',
      symbol: unit.symbol,
      timeframe: unit.timeframe,
      message: `${label}: ${outcome.message}; trying again in ${Math.round(outcome.delayMs / 100) / 10} s`,
      data: { ...data, error: outcome.message, delay_ms: outcome.delayMs },
    };
  }
}

/** Gives a claim back untouched (shutdown), so another worker can take it at once. */
export async function releaseUnit(db: Db, unit: ClaimedUnit): Promise<void> {
  await db.execute(sql`
    update backfill_job_progress set status = 'pending', lease_expires_at = null, worker_id = null
    where id = ${unit.id} and attempts = ${unit.attempt} and status = 'running'`);
}

export function describeError(err: unknown): {
  message: string;
  retryable: boolean;
  retryAfterMs?: number | undefined;
} {
  if (err instanceof ProviderError)
    return { message: redactSecrets(err.message), retryable: err.retryable, retryAfterMs: err.retryAfterMs };
  if (err instanceof BadDataError) return { message: redactSecrets(err.message), retryable: false };
  // Drizzle wraps driver errors in one whose message is the whole SQL text: report the cause.
  const root = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const message = redactSecrets(root instanceof Error ? root.message : String(root));
  // Anything else (a dropped database connection, a network blip) may pass: try again.
  return { message: message.length > 300 ? `${message.slice(0, 300)}…` : message, retryable: true };
}
