import type { BackfillRequest, Timeframe } from '@candlebase/contracts';
import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { allEvents } from '../testing/backfill-checks';
import { useQueueDatabase } from '../testing/queue-database';
import { sampleBars } from '../testing/sample-bars';
import { type ClaimedUnit, claimUnit, renewLease } from './claim';
import { LeaseLostError, releaseUnit, settleUnit, writePage } from './run-unit';
import { cancelBackfill, createBackfill, getJob } from './service';

/**
 * The unit's life step by step, called directly: no worker, no timers. A lease runs out because
 * the test moves `lease_expires_at` into the past in SQL, as graphile-worker's tests do.
 */
describe.each(testEngines())('a unit claimed, renewed, written, settled and released on %s', (engine) => {
  const test = useQueueDatabase(engine);
  const LEASE_S = 30;
  const db = () => test().database.db;

  async function newJob(symbols: string[], timeframe: Timeframe = '5m'): Promise<string> {
    const req: BackfillRequest = {
      symbols,
      start_date: '2024-01-01',
      end_date: '2024-01-02',
      timeframes: [timeframe],
      refetch: false,
    };
    return (await createBackfill(test().database, req, { provider: 'synthetic' })).job_id;
  }

  async function expireLeases(): Promise<void> {
    await db().execute(sql`update backfill_job_progress set lease_expires_at = now() - interval '1 minute'`);
  }

  async function unitRow(id: number) {
    const rows = await queryRows<{
      status: string;
      attempts: number;
      attempt_limit: number;
      worker_id: string | null;
      records_inserted: number;
      has_cursor: boolean;
      leased: boolean;
    }>(
      db(),
      sql`select status, attempts, attempt_limit, worker_id, records_inserted::float8 as records_inserted,
                 cursor_ts is not null as has_cursor, lease_expires_at is not null as leased
          from backfill_job_progress where id = ${id}`,
    );
    const row = rows[0];
    if (!row) throw new Error(`no unit ${id}`);
    return { ...row, attempts: Number(row.attempts), attempt_limit: Number(row.attempt_limit) };
  }

  async function storedCount(symbol: string): Promise<number> {
    const rows = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from candles where symbol = ${symbol}`,
    );
    return Number(rows[0]?.n);
  }

  async function claim(workerId: string): Promise<ClaimedUnit> {
    const unit = await claimUnit(db(), workerId, LEASE_S);
    if (!unit) throw new Error(`${workerId} claimed nothing`);
    return unit;
  }

  it('a stale lease is taken over; the old claim then renews, writes and settles nothing', async () => {
    const jobId = await newJob(['FENCE']);
    const first = await claim('w1');
    expect(first.attempt).toBe(1);
    // The lease is live: nobody else may take the unit.
    expect(await claimUnit(db(), 'w2', LEASE_S)).toBeNull();

    await expireLeases();
    const second = await claim('w2');
    expect(second.id).toBe(first.id);
    expect(second.attempt).toBe(2);
    expect((await unitRow(first.id)).worker_id).toBe('w2');

    // The attempt fence: every write of the first claim finds its attempt gone.
    expect(await renewLease(db(), first, LEASE_S)).toEqual({ owned: false, cancelRequested: false });
    await expect(writePage(db(), first, 'test', sampleBars(0, 12))).rejects.toBeInstanceOf(LeaseLostError);
    expect(await storedCount('FENCE')).toBe(0);
    expect(await settleUnit(db(), first, { status: 'completed' }, 1)).toBe(false);
    await releaseUnit(db(), first);
    expect(await unitRow(first.id)).toMatchObject({
      status: 'running',
      attempts: 2,
      worker_id: 'w2',
      records_inserted: 0,
      has_cursor: false,
    });

    // The new claim's writes land.
    expect(await renewLease(db(), second, LEASE_S)).toEqual({ owned: true, cancelRequested: false });
    expect(await writePage(db(), second, 'test', sampleBars(0, 12))).toEqual({
      inserted: 12,
      updated: 0,
      cancelRequested: false,
    });
    expect(await settleUnit(db(), second, { status: 'completed' }, 1)).toBe(true);
    expect(await unitRow(first.id)).toMatchObject({ status: 'completed', records_inserted: 12, leased: false });
    expect(await storedCount('FENCE')).toBe(12);
    expect((await getJob(db(), jobId)).status).toBe('completed');

    const kinds = (await allEvents(db(), jobId)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'unit_started')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'unit_progress')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'unit_completed')).toHaveLength(1);
  });

  it('claims the oldest job first, its units in order, and skips live leases and retry delays', async () => {
    // A job's units are inserted with it, so unit ids follow the jobs' age: the queue goes by id.
    const older = await newJob(['O1']);
    const newer = await newJob(['N1', 'N2']);

    const a = await claim('w');
    const b = await claim('w');
    const c = await claim('w');
    expect([a, b, c].map((u) => [u.jobId, u.symbol])).toEqual([
      [older, 'O1'],
      [newer, 'N1'],
      [newer, 'N2'],
    ]);
    expect(await claimUnit(db(), 'w', LEASE_S)).toBeNull();

    // A retry waits out its delay: pending, but not claimable until then.
    expect(await settleUnit(db(), a, { status: 'retry', message: 'provider busy', delayMs: 60_000 }, 1)).toBe(true);
    expect(await claimUnit(db(), 'w', LEASE_S)).toBeNull();
    await db().execute(
      sql`update backfill_job_progress set lease_expires_at = now() - interval '1 minute' where id = ${a.id}`,
    );
    const again = await claim('w');
    expect([again.id, again.attempt]).toEqual([a.id, 2]);
  });

  it('counts attempts against the limit, and a claim that stores a page does not use one up', async () => {
    await newJob(['LIMIT']);
    const first = await claim('w');
    expect([first.attempt, first.attemptLimit]).toEqual([1, 5]);
    await settleUnit(db(), first, { status: 'retry', message: 'timeout', delayMs: 0 }, 1);
    await expireLeases();
    const second = await claim('w');
    expect([second.attempt, second.attemptLimit]).toEqual([2, 5]);

    await writePage(db(), second, 'test', sampleBars(0, 3));
    expect((await unitRow(second.id)).attempt_limit).toBe(6);

    // Out of attempts: the claim says so (attempt past the limit), and the worker settles it failed.
    await db().execute(sql`update backfill_job_progress set status = 'pending', attempts = attempt_limit,
      lease_expires_at = null where id = ${second.id}`);
    const last = await claim('w');
    expect(last.attempt).toBeGreaterThan(last.attemptLimit);
    expect(await settleUnit(db(), last, { status: 'failed', message: 'Gave up after 6 attempts' }, 0)).toBe(true);
    expect((await unitRow(last.id)).status).toBe('failed');
  });

  it('a release on shutdown gives the unit back at once, attempt kept for the next claim', async () => {
    await newJob(['BYE']);
    const mine = await claim('w1');
    await writePage(db(), mine, 'test', sampleBars(0, 4));
    await releaseUnit(db(), mine);
    expect(await unitRow(mine.id)).toMatchObject({
      status: 'pending',
      worker_id: null,
      leased: false,
      has_cursor: true,
    });
    // No lease to wait out: the next worker takes it now and resumes after the stored page.
    const next = await claim('w2');
    expect([next.id, next.attempt]).toEqual([mine.id, 2]);
    expect(next.cursor).toBe(sampleBars(4, 1)[0]?.ts);
    expect(await settleUnit(db(), mine, { status: 'completed' }, 1)).toBe(false);
  });

  it('a cancel reaches a running claim through its renewal, and a claim of a cancelled job settles it', async () => {
    const jobId = await newJob(['STOP1', 'STOP2']);
    const running = await claim('w1');
    const orphan = await claim('w2');
    await cancelBackfill(test().database, jobId);
    expect(await renewLease(db(), running, LEASE_S)).toEqual({ owned: true, cancelRequested: true });
    expect(await settleUnit(db(), running, { status: 'cancelled' }, 1)).toBe(true);
    expect((await getJob(db(), jobId)).status).not.toBe('cancelled');
    // w2 died: its unit is claimed again only to be settled, so the job can end.
    await db().execute(
      sql`update backfill_job_progress set lease_expires_at = now() - interval '1 minute' where id = ${orphan.id}`,
    );
    const reclaimed = await claim('w3');
    expect([reclaimed.id, reclaimed.cancelRequested]).toEqual([orphan.id, true]);
    expect(await settleUnit(db(), reclaimed, { status: 'cancelled' }, 0)).toBe(true);
    expect((await getJob(db(), jobId)).status).toBe('cancelled');
  });
});
