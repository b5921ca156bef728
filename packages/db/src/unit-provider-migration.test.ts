import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRows } from './client';
import { MIGRATIONS_FOLDER, migrate } from './migrate';
import { createTestDatabase, type TestDatabase, testEngines } from './testing';

interface Journal {
  entries: { tag: string }[];
}

/**
 * A copy of the migrations folder that stops just before the one adding backfill_job_progress.provider:
 * the schema of the release before several providers. Found by content, so a renumbered sequence still works.
 */
function folderBeforeUnitProvider(): string {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as Journal;
  const at = journal.entries.findIndex((e) =>
    /ALTER TABLE "backfill_job_progress" ADD COLUMN "provider"/.test(
      readFileSync(`${MIGRATIONS_FOLDER}/${e.tag}.sql`, 'utf8'),
    ),
  );
  if (at < 1) throw new Error('No migration adds backfill_job_progress.provider after the first');
  const dir = mkdtempSync(join(tmpdir(), 'candlebase-migrations-'));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  writeFileSync(`${dir}/meta/_journal.json`, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return dir;
}

async function migrateWith(database: Database, folder: string): Promise<void> {
  if (database.engine === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: folder });
  } else {
    await migratePostgres(database.db as unknown as PostgresJsDatabase, { migrationsFolder: folder });
  }
}

describe.each(testEngines())('the unit provider migration on %s', (engine) => {
  let t: TestDatabase;
  let older: string;
  beforeAll(async () => {
    older = folderBeforeUnitProvider();
    t = await createTestDatabase(engine);
    const { db } = t.database;
    await db.execute(sql`drop schema public cascade`);
    await db.execute(sql`create schema public`);
    await db.execute(sql`drop schema if exists drizzle cascade`);
    await migrateWith(t.database, older);
  });
  afterAll(async () => {
    await t?.drop();
    if (older) rmSync(older, { recursive: true, force: true });
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
