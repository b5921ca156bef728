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
import { MIGRATIONS_FOLDER, migrate, migrationVersion } from './migrate';
import { createTestDatabase, testEngines } from './testing';

/** The newest migration of the release before provider_quota: the schema a running install has today. */
const RELEASED = '0002_failed_units_index';

/** A copy of the migrations folder whose journal stops at `lastTag`. */
function migrationsUpTo(lastTag: string): { folder: string; remove(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'candlebase-migrations-'));
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const path = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(path, 'utf8')) as { entries: { tag: string }[] };
  const end = journal.entries.findIndex((e) => e.tag === lastTag);
  if (end < 0) throw new Error(`No migration ${lastTag}`);
  writeFileSync(path, JSON.stringify({ ...journal, entries: journal.entries.slice(0, end + 1) }));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

async function emptied(database: Database): Promise<void> {
  await database.db.execute(sql`drop schema public cascade`);
  await database.db.execute(sql`create schema public`);
  await database.db.execute(sql`drop schema if exists drizzle cascade`);
}

describe.each(testEngines())('migrating a released database forward to provider_quota on %s', (engine) => {
  it('keeps its candles and jobs, and adds an empty, usable provider_quota', async () => {
    const t = await createTestDatabase(engine);
    const old = migrationsUpTo(RELEASED);
    try {
      await emptied(t.database);
      if (t.database.engine === 'pglite')
        await migratePglite(t.database.db as unknown as PgliteDatabase, { migrationsFolder: old.folder });
      else await migratePostgres(t.database.db as unknown as PostgresJsDatabase, { migrationsFolder: old.folder });
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
