import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDatabase, queryRows } from './client';
import { MIGRATIONS_FOLDER, migrate, migrationVersion } from './migrate';
import { createTestDatabase, postgresAvailable, testEngines } from './testing';

const TABLES = [
  'alerts',
  'backfill_job_events',
  'backfill_job_progress',
  'backfill_jobs',
  'candle_days',
  'candles',
  'candles_quarantine',
  'corporate_actions',
  'provider_quota',
  'scheduler_runs',
  'series_coverage',
  'split_suspects',
  'symbols',
  'watchlist_symbols',
  'watchlists',
];

/** The migrations drizzle-kit has generated, oldest first. */
const JOURNAL = (
  JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: { tag: string }[] }
).entries.map((e) => e.tag);

describe.each(testEngines())('migrations on %s', (engine) => {
  it('creates every table on an empty database and applies nothing the second time', async () => {
    const t = await createTestDatabase(engine);
    try {
      const tables = await queryRows<{ t: string }>(
        t.database.db,
        sql`select table_name as t from information_schema.tables where table_schema = 'public' order by 1`,
      );
      expect(tables.map((r) => r.t)).toEqual(TABLES);
      expect(await migrate(t.database)).toEqual({ applied: 0, version: await migrationVersion(t.database) });
      expect(await migrationVersion(t.database)).toBe(JOURNAL.at(-1));
    } finally {
      await t.drop();
    }
  });
});

describe('migrations on a PGlite folder', () => {
  it('apply to an empty folder, and survive a reopen with nothing to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candlebase-pglite-'));
    try {
      const first = await createDatabase({ pgliteDir: dir });
      expect((await migrate(first)).applied).toBeGreaterThan(0);
      await first.close();
      const again = await createDatabase({ pgliteDir: dir });
      expect((await migrate(again)).applied).toBe(0);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.runIf(postgresAvailable())('concurrent starts on Postgres', () => {
  it('both migrate, exactly one applies', async () => {
    const t = await createTestDatabase('postgres');
    try {
      // A second empty database, so the two processes race from scratch.
      await t.database.db.execute(sql`drop schema public cascade`);
      await t.database.db.execute(sql`create schema public`);
      await t.database.db.execute(sql`drop schema if exists drizzle cascade`);
      const a = await createDatabase({ url: t.url });
      const b = await createDatabase({ url: t.url });
      const results = await Promise.all([migrate(a), migrate(b)]);
      expect(results.map((r) => r.applied).sort()).toEqual([0, JOURNAL.length]);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await t.drop();
    }
  });
});
