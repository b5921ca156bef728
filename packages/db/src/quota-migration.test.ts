import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from './client';
import { migrate, migrationVersion } from './migrate';
import { createTestDatabase, olderMigrations, testEngines } from './testing';

/** The newest migration of the release before provider_quota: the schema a running install has today. */
const RELEASED = '0002_failed_units_index';

describe.each(testEngines())('migrating a released database forward to provider_quota on %s', (engine) => {
  it('keeps its candles and jobs, and adds an empty, usable provider_quota', async () => {
    const old = olderMigrations({ through: RELEASED });
    const t = await createTestDatabase(engine, { migrationsFolder: old.folder });
    try {
      expect(await migrationVersion(t.database)).toBe(RELEASED);

      const db = t.database.db;
      await db.execute(sql`insert into symbols (symbol, asset_class, provider) values ('AAPL', 'equity', 'polygon')`);
      await db.execute(sql`
        insert into candles (symbol, timeframe, ts, open, high, low, close, volume, vwap, trades, source)
        select 'AAPL', '5m', timestamptz '2024-03-04 14:30:00+00' + i * interval '5 minutes',
               100 + i, 101 + i, 99 + i, 100.5 + i, 1000 * i, null, i, 'polygon'
        from generate_series(0, 77) as i`);
      await db.execute(sql`
        insert into backfill_jobs (id, symbols, start_date, end_date, timeframes, provider, status, total_records_inserted)
        values ('6f1d3c1e-2b7a-4f7e-9a51-0d1f0c7d9e01', '{AAPL}', '2024-03-04', '2024-03-04', '{5m}', 'polygon', 'completed', 78)`);
      const before = await queryRows<{ n: number; sum: number }>(
        db,
        sql`select count(*)::int as n, sum(close + volume)::float8 as sum from candles`,
      );

      const result = await migrate(t.database);
      expect(result.applied).toBeGreaterThanOrEqual(1);
      expect(
        await queryRows(db, sql`select count(*)::int as n, sum(close + volume)::float8 as sum from candles`),
      ).toEqual(before);
      expect(
        await queryRows(db, sql`select status, total_records_inserted::int as inserted from backfill_jobs`),
      ).toEqual([{ status: 'completed', inserted: 78 }]);
      expect(await queryRows(db, sql`select count(*)::int as n from provider_quota`)).toEqual([{ n: 0 }]);
      await db.execute(sql`
        insert into provider_quota (provider, key_hash, unit, budget, window_ms, sent_at, sent_cost)
        values ('polygon', 'abc', 'requests', 5, 60000, '{1709562600000}', '{1}')`);
      // The spends and their costs stay paired.
      await expect(
        db.execute(sql`
          insert into provider_quota (provider, key_hash, unit, budget, window_ms, sent_at, sent_cost)
          values ('polygon', 'def', 'requests', 5, 60000, '{1709562600000}', '{}')`),
      ).rejects.toThrow();
    } finally {
      old.remove();
      await t.drop();
    }
  });
});
