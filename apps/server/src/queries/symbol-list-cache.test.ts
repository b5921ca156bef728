import { queryRows } from '@candlebase/db';
import { createTestDatabase, type TestDatabase, testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/harness';
import { SymbolListCache } from './symbol-list-cache';

describe('SymbolListCache', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
  });
  afterAll(async () => t?.drop());

  const insert = (symbol: string) => t.database.db.execute(sql`insert into symbols (symbol) values (${symbol})`);

  it('serves one computation to concurrent and repeated callers, and recomputes after a change', async () => {
    const cache = new SymbolListCache(t.database.db, { ttlMs: 60_000 });
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

  it('past its reread age, answers at once from the last read while the next one runs', async () => {
    const cache = new SymbolListCache(t.database.db, { ttlMs: 50, rereadMs: 50, maxStaleMs: 60_000 });
    const first = await cache.get();
    await insert('CCC');
    await new Promise((r) => setTimeout(r, 80));
    expect(await cache.get()).toBe(first);
    const next = await eventually(async () => {
      const v = await cache.get();
      return v !== first && v;
    }, 5000);
    expect(next.map((s) => s.symbol)).toContain('CCC');
  });

  it('older than its stale window, or after a change, the caller waits for a fresh answer', async () => {
    const cache = new SymbolListCache(t.database.db, { ttlMs: 20, maxStaleMs: 50 });
    const first = await cache.get();
    await insert('DDD');
    await new Promise((r) => setTimeout(r, 80));
    const second = await cache.get();
    expect(second).not.toBe(first);
    expect(second.map((s) => s.symbol)).toContain('DDD');

    const stale = new SymbolListCache(t.database.db, { ttlMs: 20, maxStaleMs: 60_000 });
    const before = await stale.get();
    await insert('EEE');
    await new Promise((r) => setTimeout(r, 40));
    stale.invalidate();
    const after = await stale.get();
    expect(after).not.toBe(before);
    expect(after.map((s) => s.symbol)).toContain('EEE');
  });

  it('between reads, the clock alone turns fresh to stale, in memory, without reading', async () => {
    // A crypto pair whose newest 1h bar is the last one closed at T: fresh then, stale 3 h later.
    const H = 3_600_000;
    // A fixed instant (a Wednesday, 10 minutes past the hour), not the wall clock.
    let now = Date.parse('2024-03-13T15:10:00Z');
    const cache = new SymbolListCache(t.database.db, {
      ttlMs: 1000,
      rereadMs: 10 * H,
      maxStaleMs: 10 * H,
      now: () => now,
    });
    await t.database.db.execute(sql`insert into symbols (symbol, asset_class) values ('AGE-USD', 'crypto')`);
    await t.database.db.execute(
      sql`insert into series_coverage (symbol, timeframe, first_ts, last_ts, count, updated_at)
          values ('AGE-USD', '1h', to_timestamp(${(now - 10 * 60_000 - 100 * H) / 1000}), to_timestamp(${(now - 10 * 60_000 - H) / 1000}), 100, now())`,
    );
    const statusOfAge = (list: { symbol: string; status: string }[]) =>
      list.find((s) => s.symbol === 'AGE-USD')?.status;
    const first = await cache.get();
    expect(statusOfAge(first)).toBe('fresh');
    // Gone from the database: only a read would see that, and none happens before rereadMs.
    await t.database.db.execute(sql`delete from series_coverage where symbol = 'AGE-USD'`);
    now += 500;
    expect(await cache.get()).toBe(first);
    now += 3 * H;
    const aged = await cache.get();
    expect(aged).not.toBe(first);
    expect(statusOfAge(aged)).toBe('stale');
    expect(aged.find((s) => s.symbol === 'AGE-USD')?.coverage).toHaveLength(1);
    // Symbols whose status did not move are the same objects, and the new answer has a new tag.
    const other = first.find((s) => s.symbol !== 'AGE-USD');
    expect(aged.find((s) => s.symbol === other?.symbol)).toBe(other);
    expect(cache.wire(aged).etag).not.toBe(cache.wire(first).etag);
    now += 1000;
    expect(await cache.get()).toBe(aged);
    // A change reads again: the deleted coverage shows.
    cache.invalidate();
    expect(statusOfAge(await cache.get())).toBe('no_data');
  });

  it('a recomputation that finds nothing new keeps the answer, its serialization and its tag', async () => {
    const cache = new SymbolListCache(t.database.db, { ttlMs: 10, maxStaleMs: 60_000 });
    const first = await cache.get();
    const wire = cache.wire(first);
    expect(JSON.parse(wire.body)).toEqual({ result: { data: first } });
    cache.invalidate();
    expect(await cache.get()).toBe(first);
    expect(cache.wire(first)).toBe(wire);

    await insert('FFF');
    cache.invalidate();
    const changed = await cache.get();
    expect(changed).not.toBe(first);
    expect(cache.wire(changed).etag).not.toBe(wire.etag);
  });
});

describe.each(testEngines())("SymbolListCache on %s: a job event re-reads only that job's symbols", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());

  const exec = (q: ReturnType<typeof sql>) => t.database.db.execute(q);
  const setCount = (symbol: string, count: number) =>
    exec(sql`insert into series_coverage (symbol, timeframe, first_ts, last_ts, count, updated_at)
             values (${symbol}, '1d', '2024-01-01', '2024-01-31', ${count}, now())
             on conflict (symbol, timeframe) do update set count = excluded.count`);
  const job = async (symbols: string[]) => {
    const rows = await queryRows<{ id: string }>(
      t.database.db,
      sql`insert into backfill_jobs (symbols, start_date, end_date, timeframes, provider, status)
          values (${sql.param(symbols)}::text[], '2024-01-01', '2024-01-31', array['1d'], 'synthetic', 'running')
          returning id`,
    );
    return rows[0]?.id ?? '';
  };
  const countOf = (list: { symbol: string; records: number }[], symbol: string) =>
    list.find((s) => s.symbol === symbol)?.records;

  it("merges the job's symbols, leaves the rest as they were, and keeps the answer when nothing moved", async () => {
    await exec(sql`insert into symbols (symbol) values ('J1'), ('J2')`);
    await setCount('J1', 10);
    await setCount('J2', 20);
    const jobId = await job(['J1']);
    const cache = new SymbolListCache(t.database.db, { ttlMs: 60_000, rereadMs: 60_000 });
    const first = await cache.get();
    expect([countOf(first, 'J1'), countOf(first, 'J2')]).toEqual([10, 20]);

    // Both change behind the cache's back; only J1 belongs to the job that reports progress.
    await setCount('J1', 11);
    await setCount('J2', 21);
    cache.jobChanged(jobId);
    const second = await cache.get();
    expect([countOf(second, 'J1'), countOf(second, 'J2')]).toEqual([11, 20]);
    expect(second.find((s) => s.symbol === 'J2')).toBe(first.find((s) => s.symbol === 'J2'));

    cache.jobChanged(jobId);
    expect(await cache.get()).toBe(second);

    cache.invalidate();
    expect(countOf(await cache.get(), 'J2')).toBe(21);
  });

  it('a stream of job events does not put off the periodic full read', async () => {
    let now = Date.parse('2024-03-13T15:10:00Z');
    const cache = new SymbolListCache(t.database.db, { ttlMs: 1000, rereadMs: 30_000, now: () => now });
    const jobId = await job(['J1']);
    await cache.get();
    await exec(sql`insert into symbols (symbol) values ('QUIET')`);
    for (let i = 0; i < 3; i++) {
      now += 12_000;
      cache.jobChanged(jobId);
      const listed = (await cache.get()).map((s) => s.symbol);
      // Within 30 s of the last full read, the job's events read only J1.
      expect(listed.includes('QUIET')).toBe(i === 2);
    }
  });

  it('a job with a symbol the list does not hold yet, or an unreadable job id, reads everything', async () => {
    const cache = new SymbolListCache(t.database.db, { ttlMs: 60_000, rereadMs: 60_000 });
    await cache.get();
    await exec(sql`insert into symbols (symbol) values ('J3'), ('J4')`);
    cache.jobChanged(await job(['J3']));
    const withNew = (await cache.get()).map((s) => s.symbol);
    expect(withNew).toContain('J3');
    // J4 came with the full read the new symbol asked for.
    expect(withNew).toContain('J4');

    await exec(sql`insert into symbols (symbol) values ('J5')`);
    cache.jobChanged('not-a-job-id');
    expect((await cache.get()).map((s) => s.symbol)).toContain('J5');
  });
});
