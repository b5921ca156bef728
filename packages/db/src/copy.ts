import type { Executor } from './client';

/** A COPY target: the table and the columns, in the order the data carries them. */
export interface CopyTarget {
  table: string;
  columns: readonly string[];
  format: 'binary' | 'text';
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function copyStatement(target: CopyTarget, source: string): string {
  for (const name of [target.table, ...target.columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`Not a plain SQL identifier: ${name}`);
  }
  return `copy ${target.table} (${target.columns.join(', ')}) from ${source} with (format ${target.format})`;
}

interface PostgresJsQuery extends PromiseLike<unknown> {
  reject: (err: unknown) => void;
  writable(): Promise<NodeJS.WritableStream & NodeJS.EventEmitter>;
}
interface PostgresJsClient {
  unsafe(query: string): PostgresJsQuery;
}
interface PgliteClient {
  query(query: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
}

/** The driver's own handle of a drizzle transaction (or database): drizzle keeps it on `session.client`. */
function driverOf(tx: Executor): PostgresJsClient | PgliteClient | null {
  const client = (tx as { session?: { client?: unknown } }).session?.client as Record<string, unknown> | undefined;
  if (!client) return null;
  // A PGlite transaction has query() and no unsafe(); postgres-js's sql has unsafe().
  if (typeof client.unsafe === 'function') return client as unknown as PostgresJsClient;
  if (typeof client.query === 'function' && typeof client.exec === 'function') return client as unknown as PgliteClient;
  return null;
}

/** Whether `copyInto` can run on this executor (false: use INSERT instead). */
export function canCopy(tx: Executor): boolean {
  return driverOf(tx) !== null;
}

/**
 * Loads `data` (already in the COPY `format`) into `target` with COPY ... FROM STDIN, inside the
 * caller's transaction, on postgres-js or PGlite. COPY inserts every row or fails as a whole:
 * the caller knows the row count. Throws the server's error (a unique violation, say); inside a
 * savepoint, the caller can roll back to it and carry on.
 */
export async function copyInto(tx: Executor, target: CopyTarget, data: Uint8Array<ArrayBuffer>): Promise<void> {
  const driver = driverOf(tx);
  if (!driver) throw new Error('This database driver offers no COPY; use INSERT');
  if ('unsafe' in driver) {
    const query = driver.unsafe(copyStatement(target, 'stdin'));
    // postgres-js 3.4.9 never settles the stream when the server rejects the data after end()
    // (porsager/postgres#1173): the error only reaches the query's reject(). Catch it there.
    let fail: (err: unknown) => void = () => {};
    const failed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    failed.catch(() => {});
    const reject = query.reject;
    query.reject = (err: unknown) => {
      fail(err);
      reject(err);
    };
    const stream = await query.writable();
    const finished = new Promise<void>((resolve, rejectFinish) => {
      stream.once('finish', resolve);
      stream.once('error', rejectFinish);
    });
    stream.end(data);
    await Promise.race([finished, failed]);
    return;
  }
  await driver.query(copyStatement(target, `'/dev/blob'`), [], { blob: new Blob([data]) });
}
