import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from './client';
import { migrate } from './migrate';
import { createTestDatabase, type OlderMigrations, olderMigrations, type TestDatabase, testEngines } from './testing';

describe.each(testEngines())('the corporate_actions migration on %s', (engine) => {
  let t: TestDatabase;
  let older: OlderMigrations;
  beforeAll(async () => {
    // The release before corporate_actions: up to the migration that creates it.
    older = olderMigrations({ before: /CREATE TABLE "corporate_actions"/ });
    t = await createTestDatabase(engine, { migrationsFolder: older.folder });
  });
  afterAll(async () => {
    await t?.drop();
    older?.remove();
  });

  it('migrates a database with candles and jobs forward, keeping every row', async () => {
    const { db } = t.database;
    const before = await queryRows<{ t: string }>(db, sql`select to_regclass('public.corporate_actions')::text as t`);
    expect(before[0]?.t ?? null).toBeNull();

    await db.execute(sql`insert into symbols (symbol, asset_class, provider) values ('AAPL', 'equity', 'polygon')`);
    await db.execute(sql`
      insert into candles (symbol, timeframe, ts, open, high, low, close, volume, vwap, trades, source)
      values ('AAPL', '1d', '2020-08-28T00:00:00Z', 500, 510, 495, 499.23, 1000, 501.5, 10, 'polygon'),
             ('AAPL', '1d', '2020-08-31T00:00:00Z', 127.58, 131, 126, 129.04, 4000, null, null, 'polygon')`);
    const job = await queryRows<{ id: string }>(
      db,
      sql`insert into backfill_jobs (symbols, start_date, end_date, timeframes, provider, status, total_records_inserted)
          values (array['AAPL'], '2020-08-28', '2020-08-31', array['1d'], 'polygon', 'completed', 2) returning id`,
    );
    const jobId = job[0]?.id ?? '';
    await db.execute(sql`
      insert into backfill_job_progress (job_id, symbol, timeframe, range_start, range_end, status, records_fetched, records_inserted)
      values (${jobId}, 'AAPL', '1d', '2020-08-28T00:00:00Z', '2020-09-01T00:00:00Z', 'completed', 2, 2)`);
    await db.execute(
      sql`insert into backfill_job_events (job_id, kind, message) values (${jobId}, 'job_completed', 'done')`,
    );

    const result = await migrate(t.database);
    expect(result.applied).toBeGreaterThan(0);

    const candles = await queryRows<{ close: number; vwap: number | null }>(
      db,
      sql`select close, vwap from candles where symbol = 'AAPL' order by ts`,
    );
    expect(candles).toEqual([
      { close: 499.23, vwap: 501.5 },
      { close: 129.04, vwap: null },
    ]);
    const jobs = await queryRows<{ status: string; n: number; units: number; events: number }>(
      db,
      sql`select j.status, j.total_records_inserted::int as n,
                 (select count(*)::int from backfill_job_progress where job_id = j.id) as units,
                 (select count(*)::int from backfill_job_events where job_id = j.id) as events
          from backfill_jobs j`,
    );
    expect(jobs).toEqual([{ status: 'completed', n: 2, units: 1, events: 1 }]);

    // The new table takes the actions of the symbols already there, and refuses a split without a ratio.
    await db.execute(sql`
      insert into corporate_actions (symbol, ex_date, kind, ratio, amount, source)
      values ('AAPL', '2020-08-31', 'split', 4, null, 'polygon'), ('AAPL', '2020-08-07', 'dividend', null, 0.82, 'polygon')`);
    const actions = await queryRows<{ ex_date: string; kind: string }>(
      db,
      sql`select ex_date::text, kind from corporate_actions order by ex_date`,
    );
    expect(actions).toEqual([
      { ex_date: '2020-08-07', kind: 'dividend' },
      { ex_date: '2020-08-31', kind: 'split' },
    ]);
    await expect(
      db.execute(
        sql`insert into corporate_actions (symbol, ex_date, kind, source) values ('AAPL', '2021-01-04', 'split', 'x')`,
      ),
    ).rejects.toThrow();
  });
});
