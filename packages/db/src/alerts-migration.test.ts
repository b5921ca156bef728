import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from './client';
import { migrate, migrationVersion } from './migrate';
import { createTestDatabase, olderMigrations, testEngines } from './testing';

describe.each(testEngines())('migrating a database forward to alerts on %s', (engine) => {
  it('keeps its jobs and candles, and adds an alerts table that allows one open alert per key', async () => {
    const old = olderMigrations({ before: /create table "alerts"/i });
    const t = await createTestDatabase(engine, { migrationsFolder: old.folder });
    try {
      const db = t.database.db;
      expect(await migrationVersion(t.database)).not.toBeNull();
      await db.execute(sql`insert into symbols (symbol, asset_class, provider) values ('AAPL', 'equity', 'synthetic')`);
      await db.execute(sql`
        insert into candles (symbol, timeframe, ts, open, high, low, close, volume, vwap, trades, source)
        select 'AAPL', '1d', timestamptz '2024-03-04 21:00:00+00' + i * interval '1 day', 100 + i, 101 + i, 99 + i,
               100.5 + i, 1000 * i, null, i, 'synthetic'
        from generate_series(0, 9) as i`);
      await db.execute(sql`
        insert into backfill_jobs (id, symbols, start_date, end_date, timeframes, provider, status, error)
        values ('6f1d3c1e-2b7a-4f7e-9a51-0d1f0c7d9e02', '{AAPL}', '2024-03-04', '2024-03-14', '{1d}', 'synthetic',
                'failed', '1 of 1 units failed')`);

      const result = await migrate(t.database);
      expect(result.applied).toBeGreaterThanOrEqual(1);
      expect(await queryRows(db, sql`select count(*)::int as n from candles`)).toEqual([{ n: 10 }]);
      expect(await queryRows(db, sql`select status, error from backfill_jobs`)).toEqual([
        { status: 'failed', error: '1 of 1 units failed' },
      ]);
      expect(await queryRows(db, sql`select count(*)::int as n from alerts`)).toEqual([{ n: 0 }]);

      const raise = () =>
        db.execute(sql`insert into alerts (kind, dedupe_key, subject, message)
                       values ('series_stale', 'series_stale:AAPL:1d', 'AAPL 1d', 'AAPL 1d is stale')`);
      await raise();
      await expect(raise()).rejects.toThrow();
      await db.execute(sql`update alerts set resolved_at = now()`);
      await raise();
      expect(await queryRows(db, sql`select delivery, attempts from alerts where resolved_at is null`)).toEqual([
        { delivery: 'pending', attempts: 0 },
      ]);
      await expect(db.execute(sql`update alerts set delivery = 'lost'`)).rejects.toThrow();
    } finally {
      old.remove();
      await t.drop();
    }
  });
});
