import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from './client';
import { migrate } from './migrate';
import { createTestDatabase, type OlderMigrations, olderMigrations, type TestDatabase, testEngines } from './testing';

describe.each(testEngines())('the claim priority migration on %s', (engine) => {
  let t: TestDatabase;
  let older: OlderMigrations;
  beforeAll(async () => {
    // The release before refreshes went first: up to the migration that adds the unit's priority.
    older = olderMigrations({ before: /ADD COLUMN "priority"/ });
    t = await createTestDatabase(engine, { migrationsFolder: older.folder });
  });
  afterAll(async () => {
    await t?.drop();
    older?.remove();
  });

  it('carries queued units forward as history, keeps their data, and indexes the claim orders', async () => {
    const { db } = t.database;
    const job = await queryRows<{ id: string }>(
      db,
      sql`insert into backfill_jobs (symbols, start_date, end_date, timeframes, provider, origin)
          values (array['AAPL'], '2020-08-28', '2020-08-28', array['1d'], 'polygon', 'scheduled') returning id`,
    );
    const jobId = job[0]?.id ?? '';
    await db.execute(sql`
      insert into backfill_job_progress (job_id, symbol, timeframe, range_start, range_end, attempts)
      values (${jobId}, 'AAPL', '1d', '2020-08-28T00:00:00Z', '2020-08-29T00:00:00Z', 2)`);

    expect((await migrate(t.database)).applied).toBeGreaterThan(0);

    // Units queued before the upgrade are claimed as history once; every new refresh unit has 0.
    const units = await queryRows<{ status: string; attempts: number; priority: number; since: unknown }>(
      db,
      sql`select status, attempts, priority, quota_wait_since as since from backfill_job_progress`,
    );
    expect(units).toEqual([{ status: 'pending', attempts: 2, priority: 1, since: null }]);
    const indexes = await queryRows<{ name: string }>(
      db,
      sql`select indexname as name from pg_indexes where tablename = 'backfill_job_progress'
          and indexname in ('backfill_job_progress_claim_order_idx', 'backfill_job_progress_history_turn_idx')
          order by indexname`,
    );
    expect(indexes.map((i) => i.name)).toEqual([
      'backfill_job_progress_claim_order_idx',
      'backfill_job_progress_history_turn_idx',
    ]);
  });
});
