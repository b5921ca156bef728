import type { AssetClass, Timeframe } from '@candlebase/contracts';
import { type Db, type Executor, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import { lockJob, refreshJob } from './aggregates';
import { appendEvent } from './events';
import { toMs as ms, type Row } from './rows';
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
}

/**
 * Claims the oldest runnable unit: pending (and past its retry delay) or running with an expired
 * lease (its worker died). SKIP LOCKED lets any number of workers claim side by side; the
 * attempt number taken here fences every later write of this claim. Units of a cancelled job are
 * claimed too, only to be settled as cancelled: a unit orphaned by a dead worker (or re-queued by
 * a retry that raced the cancel) would otherwise keep its job from ever ending.
 */
export async function claimUnit(
  db: Db,
  workerId: string,
  leaseSeconds: number,
  timeouts?: TxTimeouts | null,
): Promise<ClaimedUnit | null> {
  return db.transaction(async (tx) => {
    await limitTransaction(tx, timeouts);
    const rows = await queryRows<Row>(
      tx,
      sql`
      with next as (
        select u.id from backfill_job_progress u
        join backfill_jobs j on j.id = u.job_id
        where ((u.status = 'pending' and (u.lease_expires_at is null or u.lease_expires_at <= now()))
            or (u.status = 'running' and u.lease_expires_at < now()))
        order by j.created_at, u.id
        limit 1
        for update of u skip locked
      )
      update backfill_job_progress u set
        status = 'running', attempts = u.attempts + 1, worker_id = ${workerId},
        lease_expires_at = now() + make_interval(secs => ${leaseSeconds}),
        started_at = coalesce(u.started_at, now())
      from next, backfill_jobs j
      where u.id = next.id and j.id = u.job_id
      returning u.id, u.job_id, u.symbol, u.timeframe, u.range_start, u.range_end, u.cursor_ts, u.attempts,
                u.attempt_limit, u.records_inserted, coalesce(u.provider, j.provider) as provider, j.refetch,
                j.cancel_requested_at is not null as cancel,
                (select s.asset_class from symbols s where s.symbol = u.symbol) as asset_class`,
    );
    const row = rows[0];
    if (!row) return null;
    const unit: ClaimedUnit = {
      id: Number(row.id),
      jobId: String(row.job_id),
      symbol: String(row.symbol),
      timeframe: String(row.timeframe) as Timeframe,
      rangeStart: ms(row.range_start),
      rangeEnd: ms(row.range_end),
      cursor: row.cursor_ts == null ? null : ms(row.cursor_ts),
      attempt: Number(row.attempts),
      attemptLimit: Number(row.attempt_limit),
      provider: String(row.provider),
      refetch: row.refetch === true || row.refetch === 't',
      recordsInserted: Number(row.records_inserted),
      cancelRequested: row.cancel === true || row.cancel === 't',
      assetClass: (row.asset_class == null ? 'equity' : String(row.asset_class)) as AssetClass,
    };
    const job = await lockJob(tx, unit.jobId);
    if (!job) return null;
    if (unit.cancelRequested) return unit;
    await tx.execute(sql`update backfill_jobs set current_symbol = ${unit.symbol} where id = ${unit.jobId}`);
    await appendEvent(tx, {
      jobId: unit.jobId,
      kind: 'unit_started',
      symbol: unit.symbol,
      timeframe: unit.timeframe,
      message:
        unit.attempt > 1
          ? `${unit.symbol} ${unit.timeframe}: attempt ${unit.attempt}`
          : `${unit.symbol} ${unit.timeframe}: started`,
      data: { attempt: unit.attempt, worker_id: workerId },
    });
    await refreshJob(tx, unit.jobId, job.status);
    return unit;
  });
}

/** Extends the lease; false when the claim is no longer ours. Also reports a requested cancel. */
export async function renewLease(
  db: Executor,
  unit: ClaimedUnit,
  leaseSeconds: number,
): Promise<{ owned: boolean; cancelRequested: boolean }> {
  const rows = await queryRows<{ cancel: boolean }>(
    db,
    sql`update backfill_job_progress u set lease_expires_at = now() + make_interval(secs => ${leaseSeconds})
        from backfill_jobs j
        where u.id = ${unit.id} and u.attempts = ${unit.attempt} and u.status = 'running' and j.id = u.job_id
        returning j.cancel_requested_at is not null as cancel`,
  );
  const row = rows[0];
  return { owned: row !== undefined, cancelRequested: row?.cancel === true };
}
