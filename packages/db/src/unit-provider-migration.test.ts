import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from './client';
import { migrate } from './migrate';
import { createTestDatabase, type OlderMigrations, olderMigrations, type TestDatabase, testEngines } from './testing';

describe.each(testEngines())('the unit provider migration on %s', (engine) => {
  let t: TestDatabase;
  let older: OlderMigrations;
  beforeAll(async () => {
    // The release before several providers: up to the migration that adds the unit's provider.
    older = olderMigrations({ before: /ALTER TABLE "backfill_job_progress" ADD COLUMN "provider"/ });
    t = await createTestDatabase(engine, { migrationsFolder: older.folder });
  });
  afterAll(async () => {
    await t?.drop();
    older?.remove();
  });

  it('migrates a database with candles and jobs forward; old units keep no provider of their own', async () => {
    const { db } = t.database;
    await db.execute(sql`insert into symbols (symbol, asset_class, provider) values ('AAPL', 'equity', 'polygon')`);
    await db.execute(sql`
      insert into candles (symbol, timeframe, ts, open, high, low, close, volume, source)
      values ('AAPL', '1d', '2020-08-28T00:00:00Z', 500, 510, 495, 499.23, 1000, 'polygon')`);
    const job = await queryRows<{ id: string }>(
      db,
      sql`insert into backfill_jobs (symbols, start_date, end_date, timeframes, provider, status, total_records_inserted)
          values (array['AAPL'], '2020-08-28', '2020-08-28', array['1d'], 'polygon', 'completed', 1) returning id`,
    );
    const jobId = job[0]?.id ?? '';
    await db.execute(sql`
      insert into backfill_job_progress (job_id, symbol, timeframe, range_start, range_end, status, records_inserted)
      values (${jobId}, 'AAPL', '1d', '2020-08-28T00:00:00Z', '2020-08-29T00:00:00Z', 'completed', 1)`);

    expect((await migrate(t.database)).applied).toBeGreaterThan(0);

    const units = await queryRows<{ provider: string | null; status: string; n: number; job_provider: string }>(
      db,
      sql`select u.provider, u.status, u.records_inserted::int as n, j.provider as job_provider
          from backfill_job_progress u join backfill_jobs j on j.id = u.job_id`,
    );
    expect(units).toEqual([{ provider: null, status: 'completed', n: 1, job_provider: 'polygon' }]);
    const candles = await queryRows<{ close: number; source: string }>(db, sql`select close, source from candles`);
    expect(candles).toEqual([{ close: 499.23, source: 'polygon' }]);
    // New units name theirs.
    await db.execute(sql`
      insert into backfill_job_progress (job_id, symbol, timeframe, range_start, range_end, provider)
      values (${jobId}, 'AAPL', '1h', '2020-08-28T00:00:00Z', '2020-08-29T00:00:00Z', 'yahoo')`);
    const named = await queryRows<{ provider: string }>(
      db,
      sql`select provider from backfill_job_progress where timeframe = '1h'`,
    );
    expect(named).toEqual([{ provider: 'yahoo' }]);
  });
});
