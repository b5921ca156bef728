import type { AssetClass, Timeframe } from '@candlebase/contracts';
import { type Db, type Executor, queryRows } from '@candlebase/db';
import { bool, toMs as ms, type PgBoolean, type PgNumber, type PgTimestamp } from '@candlebase/db/rows';
import { type SQL, sql } from 'drizzle-orm';
import { recordOnJob } from './ledger';
import { limitTransaction, type TxTimeouts } from './tx-timeouts';

export interface ClaimedUnit {
  id: number;
  jobId: string;
  symbol: string;
  timeframe: Timeframe;
  rangeStart: number;
  rangeEnd: number;
  /** Where a previous attempt stopped; pages before it are already stored. */
  cursor: number | null;
  attempt: number;
  attemptLimit: number;
  /** The unit's own provider; the job's for units from before several providers. */
  provider: string;
  refetch: boolean;
  recordsInserted: number;
  /** The job was cancelled: settle this claim as cancelled without fetching. */
  cancelRequested: boolean;
  /** The symbol's asset class (equity when unknown): its calendar says when a bar has closed. */
  assetClass: AssetClass;
  /** REFRESH_PRIORITY or HISTORY_PRIORITY, from the job's origin; absent on a unit only planned (a preview). */
  priority?: number;
}

/** Claim order: a scheduled refresh before history, whatever their age (see `ClaimTurns` for the exception). */
export const REFRESH_PRIORITY = 0;
export const HISTORY_PRIORITY = 1;

/** Which class a claim prefers: refreshes, or (on a history turn) history. Within a class, oldest first. */
export type ClaimTurn = 'refresh' | 'history';

/** How often a worker's claim prefers history when none is said: every 4th. */
export const HISTORY_TURN_EVERY = 4;

/**
 * A worker's claims, counted: every `every`-th one prefers history, so a steady stream of
 * refreshes never keeps history from its share (at least 1 claim in `every` while both wait),
 * and refreshes get the rest. A claim finding nothing of its preferred class takes the other,
 * so neither class ever waits for an idle slot.
 */
export class ClaimTurns {
  private count = 0;
  constructor(private readonly every = HISTORY_TURN_EVERY) {}

  /** The next claim's turn; counted when the claim took something (see `claimed`). */
  next(): ClaimTurn {
    return this.every > 0 && this.count % this.every === this.every - 1 ? 'history' : 'refresh';
  }

  claimed(): void {
    this.count++;
  }
}

/** The claim's row, as its `returning` list reads. */
interface ClaimRow {
  id: PgNumber;
  job_id: string;
  symbol: string;
  timeframe: string;
  range_start: PgTimestamp;
  range_end: PgTimestamp;
  cursor_ts: PgTimestamp | null;
  attempts: PgNumber;
  attempt_limit: PgNumber;
  records_inserted: PgNumber;
  provider: string;
  refetch: PgBoolean;
  cancel: PgBoolean;
  asset_class: string | null;
  priority: PgNumber;
}

/**
 * The unit a claim takes, locked: its own statement so that a test can check its plan. Each order
 * is spelled out, not a parameter: it must match its index for the planner to walk it.
 */
export function nextUnit(turn: ClaimTurn): SQL {
  const order = turn === 'history' ? sql`order by u.priority desc nulls last, u.id` : sql`order by u.priority, u.id`;
  return sql`select u.id from backfill_job_progress u
    where ((u.status = 'pending' and (u.lease_expires_at is null or u.lease_expires_at <= now()))
        or (u.status = 'running' and u.lease_expires_at < now()))
    ${order}
    limit 1
    for update of u skip locked`;
}

/**
 * Claims a runnable unit: pending (and past its retry delay) or running with an expired lease (its
 * worker died). Refresh units (priority 0) come before history (1), oldest (lowest id) first; on a
 * history turn the other way round. Each order is one partial index walked from its start
 * (`backfill_job_progress_claim_order_idx`, `..._history_turn_idx`), so a claim stays a few index
 * pages at any queue length. SKIP LOCKED lets any number of workers claim side by side; the
 * attempt number taken here fences every later write of this claim. Units of a cancelled job are
 * claimed too, only to be settled as cancelled: a unit orphaned by a dead worker (or re-queued by
 * a retry that raced the cancel) would otherwise keep its job from ever ending.
 */
export async function claimUnit(
  db: Db,
  workerId: string,
  leaseSeconds: number,
  timeouts?: TxTimeouts | null,
  turn: ClaimTurn = 'refresh',
): Promise<ClaimedUnit | null> {
  return db.transaction(async (tx) => {
    await limitTransaction(tx, timeouts);
    const rows = await queryRows<ClaimRow>(
      tx,
      sql`
      with next as (${nextUnit(turn)})
      update backfill_job_progress u set
        status = 'running', attempts = u.attempts + 1, worker_id = ${workerId},
        lease_expires_at = now() + make_interval(secs => ${leaseSeconds}),
        started_at = coalesce(u.started_at, now()), quota_wait_since = null, quota_wait_until = null
      from next, backfill_jobs j
      where u.id = next.id and j.id = u.job_id
      returning u.id, u.job_id, u.priority, u.symbol, u.timeframe, u.range_start, u.range_end, u.cursor_ts, u.attempts,
                u.attempt_limit, u.records_inserted, coalesce(u.provider, j.provider) as provider, j.refetch,
                j.cancel_requested_at is not null as cancel,
                (select s.asset_class from symbols s where s.symbol = u.symbol) as asset_class`,
    );
    const row = rows[0];
    if (!row) return null;
    const unit: ClaimedUnit = {
      id: Number(row.id),
      jobId: row.job_id,
      symbol: row.symbol,
      timeframe: row.timeframe as Timeframe,
      rangeStart: ms(row.range_start),
      rangeEnd: ms(row.range_end),
      cursor: row.cursor_ts == null ? null : ms(row.cursor_ts),
      attempt: Number(row.attempts),
      attemptLimit: Number(row.attempt_limit),
      provider: row.provider,
      refetch: bool(row.refetch),
      recordsInserted: Number(row.records_inserted),
      cancelRequested: bool(row.cancel),
      assetClass: (row.asset_class ?? 'equity') as AssetClass,
      priority: Number(row.priority),
    };
    const job = await recordOnJob(tx, unit.jobId, async () => {
      // A claim of a cancelled job's unit only settles it: nothing to announce.
      if (unit.cancelRequested) return null;
      await tx.execute(sql`update backfill_jobs set current_symbol = ${unit.symbol} where id = ${unit.jobId}`);
      return {
        kind: 'unit_started',
        symbol: unit.symbol,
        timeframe: unit.timeframe,
        message:
          unit.attempt > 1
            ? `${unit.symbol} ${unit.timeframe}: attempt ${unit.attempt}`
            : `${unit.symbol} ${unit.timeframe}: started`,
        data: { attempt: unit.attempt, worker_id: workerId },
      };
    });
    return job ? unit : null;
  });
}

/**
 * Whether a scheduled refresh's unit waits to be claimed: a full worker's history unit then hands
 * its slot over at its next page (see the worker). One probe of the claim-order index's head.
 */
export async function refreshWaiting(db: Executor): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(
    db,
    sql`select 1 as one from backfill_job_progress u
        where u.priority = ${REFRESH_PRIORITY} and u.status = 'pending'
          and (u.lease_expires_at is null or u.lease_expires_at <= now())
        order by u.priority, u.id limit 1`,
  );
  return rows.length > 0;
}

/** Extends the lease; false when the claim is no longer ours. Also reports a requested cancel. */
export async function renewLease(
  db: Executor,
  unit: ClaimedUnit,
  leaseSeconds: number,
): Promise<{ owned: boolean; cancelRequested: boolean }> {
  const rows = await queryRows<{ cancel: PgBoolean }>(
    db,
    sql`update backfill_job_progress u set lease_expires_at = now() + make_interval(secs => ${leaseSeconds})
        from backfill_jobs j
        where u.id = ${unit.id} and u.attempts = ${unit.attempt} and u.status = 'running' and j.id = u.job_id
        returning j.cancel_requested_at is not null as cancel`,
  );
  const row = rows[0];
  return { owned: row !== undefined, cancelRequested: row !== undefined && bool(row.cancel) };
}
