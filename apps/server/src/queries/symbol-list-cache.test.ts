import { createTestDatabase, type TestDatabase } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SymbolListCache } from './symbol-list-cache';

describe('SymbolListCache', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
  });
  afterAll(async () => t?.drop());

  const insert = (symbol: string) => t.database.db.execute(sql`insert into symbols (symbol) values (${symbol})`);

  it('serves one computation to concurrent and repeated callers, and recomputes after a change', async () => {
    const cache = new SymbolListCache(t.database.db, 60_000);
    await insert('AAA');
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    expect(a).toBe(b);
    expect(a.map((s) => s.symbol)).toEqual(['AAA']);

    // Written behind the cache's back: still the cached answer until something invalidates it.
    await insert('BBB');
    expect(await cache.get()).toBe(a);
    cache.invalidate();
    expect((await cache.get()).map((s) => s.symbol)).toEqual(['AAA', 'BBB']);
  });

  it('recomputes once its time to live has passed', async () => {
    const cache = new SymbolListCache(t.database.db, 50);
    const first = await cache.get();
    await insert('CCC');
    await new Promise((r) => setTimeout(r, 80));
    const second = await cache.get();
    expect(second).not.toBe(first);
    expect(second.map((s) => s.symbol)).toContain('CCC');
  });
});
