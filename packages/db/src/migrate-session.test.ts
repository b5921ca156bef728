import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { describe, expect, it } from 'vitest';
import { type Database, queryRows } from './client';
import { MIGRATIONS_FOLDER, migrate } from './migrate';
import { createTestDatabase, testEngines } from './testing';

/** The release before the session policy: the migrations up to and including this tag. */
const RELEASE_TAG = '0002_failed_units_index';

/** A copy of the migrations folder that stops at `tag`, to build a database as that release left it. */
function migrationsUpTo(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'candlebase-migrations-'));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const end = journal.entries.findIndex((e) => e.tag === tag);
  if (end < 0) throw new Error(`no migration ${tag}`);
  journal.entries = journal.entries.slice(0, end + 1);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

async function migrateWith(database: Database, folder: string): Promise<void> {
  if (database.engine === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: folder });
  } else {
    await migratePostgres(database.db as unknown as PostgresJsDatabase, { migrationsFolder: folder });
  }
}

describe.each(testEngines())('the session policy migration on %s', (engine) => {
  it('adds symbols.session (regular for every existing symbol) and keeps candles and jobs intact', async () => {
    const t = await createTestDatabase(engine);
    const folder = migrationsUpTo(RELEASE_TAG);
    try {
      // Start again from nothing, at the previous release's schema.
      const db = t.database.db;
      await db.execute(sql`drop schema public cascade`);
      await db.execute(sql`create schema public`);
      await db.execute(sql`drop schema if exists drizzle cascade`);
      await migrateWith(t.database, folder);
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
      rmSync(folder, { recursive: true, force: true });
      await t.drop();
    }
  });
});
