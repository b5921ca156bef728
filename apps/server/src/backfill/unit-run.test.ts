import type { BackfillRequest } from '@candlebase/contracts';
import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import { createSyntheticProvider } from '@candlebase/providers';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ProviderRegistry } from '../providers/registry';
import { useQueueDatabase } from '../testing/queue-database';
import { type ClaimedUnit, claimUnit } from './claim';
import { cancelBackfill, createBackfill } from './service';
import { UnitRun } from './unit-run';

/**
 * A claim's run on its own, without a worker: each outcome comes from one cause, set up in SQL
 * or by a call, never by waiting for a timer.
 */
describe.each(testEngines())('a UnitRun and its outcomes on %s', (engine) => {
  const test = useQueueDatabase(engine);
  const LEASE_S = 30;
  const db = () => test().database.db;
  // Long after the range: every bar of it has closed.
  const clock = () => Date.parse('2024-06-01T00:00:00Z');

  function runOf(unit: ClaimedUnit): UnitRun {
    const providers = new ProviderRegistry([createSyntheticProvider()], { default: 'synthetic' });
    const deps = { database: test().database, clock, providers, log: pino({ level: 'silent' }) };
    return new UnitRun(deps, unit, { leaseSeconds: LEASE_S, retryBaseMs: 1000, timeouts: null });
  }

  async function newJob(symbol: string): Promise<string> {
    const req: BackfillRequest = {
      symbols: [symbol],
      start_date: '2024-01-01',
      end_date: '2024-01-02',
      timeframes: ['1h'],
      refetch: false,
    };
    return (await createBackfill(test().database, req, { provider: 'synthetic' })).job_id;
  }

  async function claim(workerId: string): Promise<ClaimedUnit> {
    const unit = await claimUnit(db(), workerId, LEASE_S);
    if (!unit) throw new Error(`${workerId} claimed nothing`);
    return unit;
  }

  async function storedCount(symbol: string): Promise<number> {
    const rows = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from candles where symbol = ${symbol}`,
    );
    return Number(rows[0]?.n);
  }

  it('completes a unit it owns, writing its bars', async () => {
    await newJob('RUNA-USD');
    expect(await runOf(await claim('w1')).execute()).toEqual({ status: 'completed' });
    expect(await storedCount('RUNA-USD')).toBe(48);
  });

  it('released: stopped for a shutdown before its first page, it writes nothing', async () => {
    await newJob('RUNB-USD');
    const run = runOf(await claim('w1'));
    const outcome = run.execute();
    run.stop('released');
    // The first reason wins: a later one does not change what the run says.
    run.stop('cancelled');
    expect(await outcome).toEqual({ status: 'released' });
    expect(await storedCount('RUNB-USD')).toBe(0);
  });

  it('lease lost: a claim taken over in SQL writes nothing and says so', async () => {
    await newJob('RUNC-USD');
    const first = await claim('w1');
    await db().execute(sql`update backfill_job_progress set lease_expires_at = now() - interval '1 minute'`);
    const second = await claim('w2');
    expect(second.attempt).toBe(2);
    expect(await runOf(first).execute()).toEqual({ status: 'lease_lost' });
    expect(await storedCount('RUNC-USD')).toBe(0);
  });

  it('cancelled: the job cancelled while the unit runs ends it at its page, and one claimed after the cancel fetches nothing', async () => {
    const running = await newJob('RUND-USD');
    const unit = await claim('w1');
    await cancelBackfill(test().database, running);
    expect(await runOf(unit).execute()).toEqual({ status: 'cancelled' });

    const queued = await newJob('RUNE-USD');
    await cancelBackfill(test().database, queued);
    // Cancel settles pending units itself; put one back as a retry racing the cancel would.
    await db().execute(
      sql`update backfill_job_progress set status = 'pending', completed_at = null where job_id = ${queued}`,
    );
    const orphan = await claim('w1');
    expect(orphan.cancelRequested).toBe(true);
    expect(await runOf(orphan).execute()).toEqual({ status: 'cancelled' });
    expect(await storedCount('RUNE-USD')).toBe(0);
  });

  it('failed: a claim past its attempt limit gives up without fetching', async () => {
    await newJob('RUNF-USD');
    await db().execute(sql`update backfill_job_progress set attempts = attempt_limit`);
    const unit = await claim('w1');
    expect(await runOf(unit).execute()).toEqual({
      status: 'failed',
      message: `Gave up after ${unit.attempt - 1} attempts`,
    });
    expect(await storedCount('RUNF-USD')).toBe(0);
  });
});
