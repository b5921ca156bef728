import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index';
import { noDelaySocketFactory } from './socket';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Engine = 'postgres' | 'pglite';

/** Something that runs SQL: the database or a transaction on it. */
export type Executor = Pick<Db, 'execute'>;

export interface Database {
  readonly engine: Engine;
  readonly db: Db;
  /** Where the data lives, safe to print (no password). */
  readonly location: string;
  /** Calls `onMessage` with each NOTIFY payload on `channel`; resolves to an unsubscribe function. */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    /**
     * Called each time the LISTEN is in place: at first, and on Postgres again after the
     * connection was lost and re-established, when notifications sent meanwhile are gone.
     */
    onListen?: () => void,
  ): Promise<() => Promise<void>>;
  /**
   * Runs `fn` while this process holds the session advisory lock `key` on a connection of its
   * own; other processes wait. `fn` itself uses `db` as usual.
   */
  withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  /**
   * Like `withAdvisoryLock`, but never waits: when another session holds `key`, resolves to
   * `{ acquired: false }` at once and `fn` does not run.
   */
  tryWithAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<LockAttempt<T>>;
  close(): Promise<void>;
}

export type LockAttempt<T> = { acquired: true; value: T } | { acquired: false };

export interface DatabaseOptions {
  /** A postgres:// URL; without it an embedded PGlite database is used. */
  url?: string | undefined;
  /** PGlite data folder; `memory://` keeps it in memory (tests). */
  pgliteDir?: string | undefined;
  /** Connections in the postgres-js pool. */
  maxConnections?: number;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) return createPostgres(options.url, options.maxConnections ?? 10);
  return createPglite(options.pgliteDir ?? './.data/pglite');
}

async function createPostgres(url: string, max: number): Promise<Database> {
  const client = postgres(url, {
    max,
    onnotice: () => {},
    connect_timeout: 10,
    connection: { application_name: 'candlebase' },
    // TCP_NODELAY (see socket.ts). postgres-js takes a socket factory, though its types omit it.
    ...({ socket: noDelaySocketFactory() } as object),
  });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  // Fail fast with a clear error when the server cannot be reached.
  await client`select 1`;
  return {
    engine: 'postgres',
    db,
    location: redactUrl(url),
    async listen(channel, onMessage, onListen) {
      const sub = await client.listen(channel, onMessage, onListen);
      return () => sub.unlisten();
    },
    async withAdvisoryLock(key, fn) {
      const conn = await client.reserve();
      try {
        await conn`select pg_advisory_lock(${key})`;
        try {
          return await fn();
        } finally {
          await conn`select pg_advisory_unlock(${key})`;
        }
      } finally {
        conn.release();
      }
    },
    async tryWithAdvisoryLock(key, fn) {
      const conn = await client.reserve();
      try {
        const [row] = await conn<{ ok: boolean }[]>`select pg_try_advisory_lock(${key}) as ok`;
        if (row?.ok !== true) return { acquired: false };
        try {
          return { acquired: true, value: await fn() };
        } finally {
          await conn`select pg_advisory_unlock(${key})`;
        }
      } finally {
        conn.release();
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

async function createPglite(dir: string): Promise<Database> {
  const inMemory = dir.startsWith('memory://');
  const location = inMemory ? dir : resolve(dir);
  if (!inMemory) mkdirSync(location, { recursive: true });
  // Loaded only here: the embedded engine costs a Postgres process ~40 MB of memory for nothing.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
  ]);
  const client = new PGlite(inMemory ? undefined : location);
  await client.waitReady;
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  const held = new Set<number>();
  return {
    engine: 'pglite',
    db,
    location,
    async listen(channel, onMessage, onListen) {
      // In-process: never disconnected, so in place once.
      const unsub = await client.listen(channel, onMessage);
      onListen?.();
      return () => unsub();
    },
    // One process per data folder, and PGlite serialises every statement: nothing to lock against.
    withAdvisoryLock: (_key, fn) => fn(),
    // No other process can share the folder, but two tasks of this one can overlap across awaits.
    async tryWithAdvisoryLock(key, fn) {
      if (held.has(key)) return { acquired: false };
      held.add(key);
      try {
        return { acquired: true, value: await fn() };
      } finally {
        held.delete(key);
      }
    },
    close: () => client.close(),
  };
}

/** The rows of a raw `execute()`, whichever driver ran it. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** The command tag's row count of a raw `execute()`: postgres-js `count`, PGlite `affectedRows`. */
export function countOf(result: unknown): number {
  const r = result as { count?: number | null; affectedRows?: number | null };
  return Number(r.count ?? r.affectedRows ?? 0);
}

export async function queryRows<T>(exec: Executor, query: SQL): Promise<T[]> {
  return rowsOf<T>(await exec.execute(query));
}
