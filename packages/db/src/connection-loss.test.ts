import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConnectionLoss, queryRows } from './client';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './testing';

describe.runIf(postgresAvailable())('a connection ended by the server', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
  });
  afterAll(async () => t?.drop());

  it('is told apart from a query error, and the next query runs on a fresh connection', async () => {
    const { db } = t.database;
    const failed = await db
      .transaction(async (tx) => {
        const [me] = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
        // Another session ends this backend, as a takeover ends a frozen worker's transaction.
        await db.execute(sql`select pg_terminate_backend(${me?.pid})`);
        await tx.execute(sql`select 1`);
      })
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(failed).not.toBeNull();
    expect(isConnectionLoss(failed)).toBe(true);
    const again = await queryRows<{ n: number }>(db, sql`select 1 as n`);
    expect(again).toEqual([{ n: 1 }]);

    const bad = await db.execute(sql`select * from no_such_table`).then(
      () => null,
      (err: unknown) => err,
    );
    expect(isConnectionLoss(bad)).toBe(false);
  });
});
