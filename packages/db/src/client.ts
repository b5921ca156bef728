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
  /** The streaming replica reads that may lag can go to (`readUrl`), or null. */
  readonly replica: Replica | null;
  /** Where the direct connection for LISTEN and session advisory locks goes (`listenUrl`), safe to print; null: `location`. */
  readonly listenLocation: string | null;
  /** The primary's WAL position now: a replica that has replayed it shows every transaction committed before. */
  currentLsn(): Promise<string | null>;
  close(): Promise<void>;
}

/** A hot standby fed by streaming replication: the same data, a moment late. */
export interface Replica {
  readonly db: Db;
  readonly location: string;
  /** Whether everything up to `lsn` (from the primary's `currentLsn()`) has been replayed here. */
  hasReplayed(lsn: string): Promise<boolean>;
  /**
   * How far behind the primary it is: 0 when it has replayed all it received, else the age of
   * the last transaction it replayed (`pg_last_xact_replay_timestamp()`), in ms.
   */
  lagMs(): Promise<number | null>;
}

export type LockAttempt<T> = { acquired: true; value: T } | { acquired: false };

export interface DatabaseOptions {
  /** A postgres:// URL; without it an embedded PGlite database is used. */
  url?: string | undefined;
  /** PGlite data folder; `memory://` keeps it in memory (tests). */
  pgliteDir?: string | undefined;
  /** Connections in the postgres-js pool. */
  maxConnections?: number;
  /**
   * A direct connection to the primary for LISTEN and session advisory locks, when `url` goes
   * through a pooler in transaction mode (PgBouncer), where neither survives the transaction.
   * Setting it also stops `url` (and `readUrl`) from preparing statements (see docs/decisions.md).
   */
  listenUrl?: string | undefined;
  /** A streaming replica of the primary, for `replica`. */
  readUrl?: string | undefined;
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
  if (options.url) return createPostgres(options.url, options);
  if (options.listenUrl || options.readUrl) throw new Error('A listen or read URL needs a primary URL beside it');
  return createPglite(options.pgliteDir ?? './.data/pglite');
}

/**
 * Each role's `application_name`, so `pg_stat_activity` on the primary, and on the replica,
 * tells the pooled, the direct and the read connections apart.
 */
export const APPLICATION_NAMES = {
  primary: 'candlebase',
  listen: 'candlebase-listen',
  read: 'candlebase-read',
} as const;

function openClient(url: string, max: number, applicationName: string, prepare: boolean) {
  return postgres(url, {
    max,
    prepare,
    onnotice: () => {},
    connect_timeout: 10,
    connection: { application_name: applicationName },
    // TCP_NODELAY (see socket.ts). postgres-js takes a socket factory, though its types omit it.
    ...({ socket: noDelaySocketFactory() } as object),
  });
}

async function createPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const { listenUrl, readUrl } = options;
  // PgBouncer before 1.21 (Debian 12 ships 1.18) runs each transaction on any server connection
  // and knows nothing of the statements a client prepared on another: unnamed statements only.
  const prepare = !listenUrl;
  const client = openClient(url, options.maxConnections ?? 10, APPLICATION_NAMES.primary, prepare);
  // Advisory locks each hold one connection while they last (migrations, the scheduler's tick),
  // and LISTEN takes one of its own besides.
  const direct = listenUrl ? openClient(listenUrl, 3, APPLICATION_NAMES.listen, true) : client;
  const reader = readUrl ? openClient(readUrl, options.maxConnections ?? 10, APPLICATION_NAMES.read, prepare) : null;
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  try {
    // Fail fast with a clear error when a server cannot be reached.
    await client`select 1`;
    if (listenUrl) await direct`select 1`.catch(failedAs('DATABASE_LISTEN_URL', listenUrl));
    if (reader && readUrl) await reader`select 1`.catch(failedAs('DATABASE_READ_URL', readUrl));
  } catch (err) {
    await Promise.all([client, direct, reader].map((c) => c?.end({ timeout: 1 })));
    throw err;
  }
  return {
    engine: 'postgres',
    db,
    location: redactUrl(url),
    listenLocation: listenUrl ? redactUrl(listenUrl) : null,
    replica: reader && readUrl ? replicaOf(reader, readUrl) : null,
    async currentLsn() {
      const [row] = await client<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
      return row?.lsn ?? null;
    },
    async listen(channel, onMessage, onListen) {
      const sub = await direct.listen(channel, onMessage, onListen);
      return () => sub.unlisten();
    },
    async withAdvisoryLock(key, fn) {
      const conn = await direct.reserve();
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
      const conn = await direct.reserve();
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
    async close() {
      await Promise.all([...new Set([client, direct, reader])].map((c) => c?.end({ timeout: 5 })));
    },
  };
}

function failedAs(setting: string, url: string) {
  return (err: unknown): never => {
    throw new Error(`${setting} (${redactUrl(url)}): ${err instanceof Error ? err.message : String(err)}`);
  };
}

function replicaOf(client: postgres.Sql, url: string): Replica {
  return {
    db: drizzlePostgres({ client, schema }) as unknown as Db,
    location: redactUrl(url),
    async hasReplayed(lsn) {
      const [row] = await client<{ ok: boolean | null }[]>`select pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn as ok`;
      return row?.ok === true;
    },
    async lagMs() {
      // Caught up with all it received: no lag, however long ago the primary last wrote.
      const [row] = await client<{ ms: number | null }[]>`
        select case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
                    else extract(epoch from now() - pg_last_xact_replay_timestamp()) * 1000 end::float8 as ms`;
      return row?.ms ?? null;
    },
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
    replica: null,
    listenLocation: null,
    currentLsn: async () => null,
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

/**
 * Whether a query failed because its connection went away (postgres-js `CONNECTION_*`, or the
 * server ending the backend: SQLSTATE class 08, 57P01-57P03). The pool opens a new connection for
 * the next query, so a short write may be tried once more; anything else is the query's own error.
 */
export function isConnectionLoss(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 3; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (/^CONNECTION_/.test(code) || /^08/.test(code) || /^57P0[123]$/.test(code))) {
      return true;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
