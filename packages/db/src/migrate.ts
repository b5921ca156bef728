import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { type Database, queryRows } from './client';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle', import.meta.url));

/** An arbitrary constant shared by every Candlebase process: the key of the migration lock. */
const MIGRATION_LOCK_KEY = 727_274_001;

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

function journal(): Journal {
  return JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as Journal;
}

export interface MigrationResult {
  applied: number;
  version: string | null;
}

async function appliedCount(database: Database): Promise<number> {
  const exists = await queryRows<{ ok: boolean }>(
    database.db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as ok`,
  );
  if (!exists[0]?.ok) return 0;
  const rows = await queryRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  return rows[0]?.n ?? 0;
}

/** The tag of the newest migration the database has, e.g. `0000_initial`. */
export async function migrationVersion(database: Database): Promise<string | null> {
  const n = await appliedCount(database);
  return n > 0 ? (journal().entries[n - 1]?.tag ?? null) : null;
}

/**
 * Applies pending migrations. On Postgres it holds a session advisory lock on its own connection
 * while it runs, so processes that start together take turns and the later ones apply nothing.
 */
export async function migrate(
  database: Database,
  /** Another folder of drizzle migrations: tests build an older release's schema from a copy cut short. */
  migrationsFolder = MIGRATIONS_FOLDER,
): Promise<MigrationResult> {
  if (database.engine === 'pglite') {
    const before = await appliedCount(database);
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder });
    return { applied: (await appliedCount(database)) - before, version: await migrationVersion(database) };
  }
  // Count inside the lock, so a process that waited sees what the other one applied.
  const applied = await database.withAdvisoryLock(MIGRATION_LOCK_KEY, async () => {
    const before = await appliedCount(database);
    await migratePostgres(database.db as unknown as PostgresJsDatabase, { migrationsFolder });
    return (await appliedCount(database)) - before;
  });
  return { applied, version: await migrationVersion(database) };
}
