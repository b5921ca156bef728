import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database, queryRows } from './client';
import { createTestDatabase, postgresAvailable, type TestDatabase, testEngines } from './testing';

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(testEngines())('LISTEN on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());

  it('delivers NOTIFY payloads and says once that it is in place', async () => {
    const got: string[] = [];
    let inPlace = 0;
    const stop = await t.database.listen(
      'listen_test',
      (p) => got.push(p),
      () => inPlace++,
    );
    try {
      await until(() => inPlace === 1, 5000, 'the LISTEN');
      await t.database.db.execute(sql`select pg_notify('listen_test', 'one')`);
      await until(() => got.length === 1, 5000, 'the notification');
      expect(got).toEqual(['one']);
      expect(inPlace).toBe(1);
    } finally {
      await stop();
    }
  });
});

describe.runIf(postgresAvailable())('LISTEN on postgres after its connection is lost', () => {
  let t: TestDatabase;
  let admin: Database;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    admin = await createDatabase({ url: process.env.DATABASE_URL, maxConnections: 1 });
  });
  afterAll(async () => {
    await admin?.close();
    await t?.drop();
  });

  it('comes back by itself and says so again, since what was sent meanwhile is gone', async () => {
    const got: string[] = [];
    let inPlace = 0;
    const stop = await t.database.listen(
      'listen_lost',
      (p) => got.push(p),
      () => inPlace++,
    );
    try {
      await until(() => inPlace === 1, 5000, 'the first LISTEN');
      const name = new URL(t.url ?? '').pathname.slice(1);
      const killed = await queryRows<{ n: number }>(
        admin.db,
        sql`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
            where datname = ${name} and query ilike 'listen%'`,
      );
      expect(Number(killed[0]?.n)).toBe(1);
      await until(() => inPlace === 2, 15_000, 'the LISTEN to come back');
      await t.database.db.execute(sql`select pg_notify('listen_lost', 'after')`);
      await until(() => got.includes('after'), 5000, 'a notification on the new connection');
    } finally {
      await stop();
    }
  });
});
