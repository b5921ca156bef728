import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from './client';
import { migrate } from './migrate';
import { createTestDatabase, olderMigrations, testEngines } from './testing';

/** The release before the session policy: the migrations up to and including this tag. */
const RELEASE_TAG = '0002_failed_units_index';

describe.each(testEngines())('the session policy migration on %s', (engine) => {
  it('adds symbols.session (regular for every existing symbol) and keeps candles and jobs intact', async () => {
    const older = olderMigrations({ through: RELEASE_TAG });
    // A database at the previous release's schema.
    const t = await createTestDatabase(engine, { migrationsFolder: older.folder });
    try {
      const db = t.database.db;
      const before = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from information_schema.columns where table_name = 'symbols' and column_name = 'session'`,
      );
      expect(before[0]?.n).toBe(0);

      await db.execute(
        sql`insert into symbols (symbol, asset_class, currency) values ('AAPL', 'equity', 'USD'), ('BTC-USD', 'crypto', 'USD')`,
      );
      await db.execute(sql`
        insert into candles (symbol, timeframe, ts, open, high, low, close, volume, source)
        values ('AAPL', '1h', '2024-03-01T14:30:00Z', 180, 181, 179, 180.5, 1000, 'polygon'),
               ('AAPL', '1h', '2024-03-01T15:30:00Z', 180.5, 182, 180, 181, 900, 'polygon')`);
      await db.execute(sql`
        insert into backfill_jobs (id, symbols, start_date, end_date, timeframes, provider, status)
        values ('00000000-0000-4000-8000-000000000001', array['AAPL'], '2024-03-01', '2024-03-01', array['1h'], 'polygon', 'completed')`);

      await migrate(t.database);

      const rows = await queryRows<{ symbol: string; session: string }>(
        db,
        sql`select symbol, session from symbols order by symbol`,
      );
      expect(rows).toEqual([
        { symbol: 'AAPL', session: 'regular' },
        { symbol: 'BTC-USD', session: 'regular' },
      ]);
      const candles = await queryRows<{ n: number; close: number }>(
        db,
        sql`select count(*)::int as n, max(close) as close from candles`,
      );
      expect(candles[0]).toEqual({ n: 2, close: 181 });
      const jobs = await queryRows<{ status: string }>(db, sql`select status from backfill_jobs`);
      expect(jobs).toEqual([{ status: 'completed' }]);

      await db.execute(sql`update symbols set session = 'extended' where symbol = 'AAPL'`);
      await expect(db.execute(sql`update symbols set session = 'overnight' where symbol = 'AAPL'`)).rejects.toThrow();
    } finally {
      older.remove();
      await t.drop();
    }
  });
});
