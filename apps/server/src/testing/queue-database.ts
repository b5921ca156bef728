import type { Engine } from '@candlebase/db';
import { createTestDatabase, type TestDatabase } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/**
 * A database of its own for a describe block that calls the engine's unit steps directly. The
 * queue and the candles are emptied before each test, so the oldest unit is always one of its own.
 */
export function useQueueDatabase(engine: Engine): () => TestDatabase {
  let t: TestDatabase | undefined;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());
  beforeEach(async () => {
    await t?.database.db.execute(sql`delete from backfill_jobs`);
    await t?.database.db.execute(sql`delete from candles`);
  });
  return () => {
    if (!t) throw new Error('the test database is not open yet');
    return t;
  };
}
