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
 * A copy of the migrations folder that stops just before the one creating corporate_actions: the
 * schema of the release before it. Found by content, not by tag, so a renumbered sequence still works.
 */
function foldersBeforeActions(): string {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as Journal;
  const at = journal.entries.findIndex((e) =>
    readFileSync(`${MIGRATIONS_FOLDER}/${e.tag}.sql`, 'utf8').includes('CREATE TABLE "corporate_actions"'),
  );
  if (at < 1) throw new Error('No migration creates corporate_actions after the first');
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

describe.each(testEngines())('the corporate_actions migration on %s', (engine) => {
  let t: TestDatabase;
  let older: string;
  beforeAll(async () => {
    older = foldersBeforeActions();
    t = await createTestDatabase(engine);
    // Back to an empty database, then up to the release before corporate_actions only.
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
