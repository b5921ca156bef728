import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { createDatabase, type Database, type Engine } from './client';
import { MIGRATIONS_FOLDER, migrate } from './migrate';

/**
 * The engines integration tests run on: PGlite always, Postgres when DATABASE_URL is set. In CI
 * (CI=true) Postgres is required: a run that silently skipped it would not be green.
 */
export function testEngines(): Engine[] {
  // The clock guard (scripts/clock-guard.ts) runs under a shifted process clock, which a Postgres
  // server would not share: it asks for PGlite alone, by name, rather than by leaving a URL out.
  if (process.env.TEST_ENGINES === 'pglite') return ['pglite'];
  const url = process.env.DATABASE_URL;
  if (!url && process.env.CI) {
    throw new Error('CI=true but DATABASE_URL is not set: the Postgres half of the integration tests cannot run');
  }
  return url ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * Whether the Postgres-only suites (several processes on one database) run. Never false in CI:
 * `testEngines()` throws there without DATABASE_URL, so those suites fail instead of skipping.
 */
export function postgresAvailable(): boolean {
  return testEngines().includes('postgres');
}

export interface ScaleOutTargets {
  /** A streaming replica of the DATABASE_URL server. */
  replica: string;
  /** PgBouncer in transaction mode in front of the DATABASE_URL server, routing any database name. */
  pgbouncer: string;
}

/**
 * The replica and the pooler the scale-out test runs through, from TEST_REPLICA_URL and
 * TEST_PGBOUNCER_URL (scripts/scale-out-setup.sh sets both up and prints them); each test puts
 * its own database's name in them. In CI both are required, as `testEngines()` requires Postgres.
 */
export function scaleOutTargets(): ScaleOutTargets | null {
  // Throws in CI without DATABASE_URL; false when PGlite alone was asked for by name.
  if (!postgresAvailable()) return null;
  const replica = process.env.TEST_REPLICA_URL;
  const pgbouncer = process.env.TEST_PGBOUNCER_URL;
  if (replica && pgbouncer) return { replica, pgbouncer };
  if (process.env.CI) {
    throw new Error(
      'CI=true but TEST_REPLICA_URL and TEST_PGBOUNCER_URL are not both set: the scale-out test (a streaming replica and PgBouncer) cannot run; eval "$(scripts/scale-out-setup.sh)" first',
    );
  }
  return null;
}

/** `url` with its database name replaced by `database`. */
export function withDatabaseName(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface TestDatabase {
  database: Database;
  /** For Postgres, the URL of this test's own database (child processes connect to it). */
  url: string | undefined;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database: PGlite in memory, or a new database on the DATABASE_URL server.
 * `migrationsFolder` migrates it from another folder instead (an older release's migrations).
 */
export async function createTestDatabase(
  engine: Engine,
  options: { migrationsFolder?: string } = {},
): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const database = await createDatabase({ pgliteDir: 'memory://' });
    await migrate(database, options.migrationsFolder);
    return { database, url: undefined, drop: () => database.close() };
  }
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is needed for a Postgres test database');
  const name = `candlebase_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  const database = await createDatabase({ url });
  await migrate(database, options.migrationsFolder);
  return {
    database,
    url,
    async drop() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export interface OlderMigrations {
  /** A copy of the migrations folder whose journal stops where asked. */
  folder: string;
  remove(): void;
}

/**
 * The migrations an older release shipped, to build a database as that release left it (then
 * migrate it forward and check its data): `through` a tag, or up to `before` the first migration
 * whose SQL matches, so a test still finds its own migration when the sequence is renumbered.
 */
export function olderMigrations(stop: { through: string } | { before: RegExp }): OlderMigrations {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const end =
    'through' in stop
      ? journal.entries.findIndex((e) => e.tag === stop.through) + 1
      : journal.entries.findIndex((e) =>
          stop.before.test(readFileSync(join(MIGRATIONS_FOLDER, `${e.tag}.sql`), 'utf8')),
        );
  if (end < 1)
    throw new Error(`No migration ${'through' in stop ? stop.through : `matching ${stop.before}`} after the first`);
  const folder = mkdtempSync(join(tmpdir(), 'candlebase-migrations-'));
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  writeFileSync(
    join(folder, 'meta', '_journal.json'),
    JSON.stringify({ ...journal, entries: journal.entries.slice(0, end) }),
  );
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
