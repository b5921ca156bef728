import { isConnectionLoss, queryRows } from '@candlebase/db';
import { postgresAvailable } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useQueueDatabase } from '../testing/queue-database';
import { claimUnit } from './claim';
import { recordOnJob } from './ledger';
import { reapStaleClaims } from './reap-stale';
import { createBackfill } from './service';
import { limitTransaction, timeoutsForLease } from './tx-timeouts';

/**
 * The state a worker frozen mid-statement leaves: its page transaction holds the unit's row and
 * the job's, and waits for the client. Here the "frozen" transaction is one the test keeps open.
 */
describe.runIf(postgresAvailable())('ending the transactions of claims whose worker stopped answering', () => {
  const test = useQueueDatabase('postgres');
  const db = () => test().database.db;

  it("ends a claim's open transaction once its lease has run out, and not before", async () => {
    const { job_id } = await createBackfill(
      test().database,
      { symbols: ['FROZE'], start_date: '2024-01-01', end_date: '2024-01-02', timeframes: ['5m'], refetch: false },
      { provider: 'synthetic' },
    );
    const LEASE_S = 2;
    const unit = await claimUnit(db(), 'frozen-worker', LEASE_S);
    if (!unit) throw new Error('nothing claimed');
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let locked: () => void = () => {};
    const holding = new Promise<void>((r) => {
      locked = r;
    });
    // As a page transaction does: the unit's row, then the job's (the ledger), then it stalls.
    const frozen = db()
      .transaction(async (tx) => {
        await limitTransaction(tx, timeoutsForLease(30), unit);
        await tx.execute(sql`update backfill_job_progress set records_fetched = 1 where id = ${unit.id}`);
        await recordOnJob(tx, job_id, () => ({
          kind: 'unit_progress',
          symbol: unit.symbol,
          timeframe: unit.timeframe,
          message: 'a page',
          data: {},
        }));
        locked();
        await gate;
        await tx.execute(sql`select 1`);
      })
      .then(
        () => null,
        (err: unknown) => err,
      );
    await holding;
    // The lease is live: the transaction is a slow one, not a frozen one.
    expect(await reapStaleClaims(db())).toEqual([]);

    // No renewal comes (its worker is frozen): once the lease has run out, the transaction is ended,
    // and with it the locks that kept every other worker from claiming the unit.
    await new Promise((r) => setTimeout(r, LEASE_S * 1000 + 300));
    expect(await reapStaleClaims(db())).toEqual([{ unit: unit.id, attempt: unit.attempt }]);
    release();
    const err = await frozen;
    expect(isConnectionLoss(err)).toBe(true);
    const taken = await claimUnit(db(), 'another-worker', 30);
    expect(taken).toMatchObject({ id: unit.id, attempt: unit.attempt + 1 });
    // Nothing of the ended transaction stayed.
    const [row] = await queryRows<{ fetched: number }>(
      db(),
      sql`select records_fetched::int as fetched from backfill_job_progress where id = ${unit.id}`,
    );
    expect(row?.fetched).toBe(0);
  });
});
