import { createDatabase, type Database, queryRows } from '@candlebase/db';
import { createTestDatabase, type TestDatabase, testEngines } from '@candlebase/db/testing';
import type { BudgetSpec } from '@candlebase/providers';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { limitTransaction } from '../backfill/tx-timeouts';
import { createSharedBudgets, keyHash } from './shared-budget';

const POLYGON: BudgetSpec = {
  provider: 'polygon',
  key: 'secret-polygon-key',
  limit: 5,
  windowMs: 60_000,
  window: 'sliding',
  unit: 'requests',
  marginMs: 1000,
};
const BINANCE: BudgetSpec = {
  provider: 'binance',
  key: 'api.binance.com',
  limit: 6000,
  windowMs: 60_000,
  window: 'clock',
  unit: 'weight',
  usable: 0.9,
  marginMs: 1000,
};
/** A fixed past instant on a minute boundary: nothing here reads the wall clock. */
const T0 = Date.UTC(2024, 2, 4, 15, 0);

/** Thrown by the test's `sleep`: the budget wanted to wait this long instead of spending now. */
class WouldWait extends Error {
  constructor(readonly ms: number) {
    super(`would wait ${ms} ms`);
  }
}

describe.each(testEngines())('shared request budgets on %s', (engine) => {
  let t: TestDatabase | undefined;
  const extra: Database[] = [];
  afterEach(async () => {
    await Promise.all(extra.splice(0).map((d) => d.close()));
    await t?.drop();
    t = undefined;
  });

  /** A second "process": on Postgres its own connection pool; PGlite has only one. */
  async function otherProcess(test: TestDatabase): Promise<Database> {
    if (!test.url) return test.database;
    const d = await createDatabase({ url: test.url });
    extra.push(d);
    return d;
  }

  function budgetsAt(database: Database, clock: { t: number }) {
    return createSharedBudgets(database, {
      now: () => clock.t,
      sleep: async (ms) => {
        throw new WouldWait(ms);
      },
    });
  }

  it('concurrent takers in two processes never get more than the budget, and the key is stored hashed', async () => {
    t = await createTestDatabase(engine);
    const clock = { t: T0 };
    const a = budgetsAt(t.database, clock)(POLYGON);
    const b = budgetsAt(await otherProcess(t), clock)(POLYGON);
    const outcomes = await Promise.allSettled(Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).take(1)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    const waits = outcomes.flatMap((o) => (o.status === 'rejected' && o.reason instanceof WouldWait ? [o.reason] : []));
    expect(waits).toHaveLength(11);
    // Every refused taker is told to come back when the oldest spend has left the window.
    expect(new Set(waits.map((w) => w.ms))).toEqual(new Set([61_000]));
    expect(await a.usage()).toMatchObject({ used: 5, limit: 5, pausedUntil: null, shared: true });

    const rows = await queryRows<{ provider: string; key_hash: string; budget: number }>(
      t.database.db,
      sql`select provider, key_hash, budget from provider_quota`,
    );
    expect(rows).toEqual([{ provider: 'polygon', key_hash: keyHash(POLYGON), budget: 5 }]);
    expect(JSON.stringify(rows)).not.toContain(POLYGON.key);
  });

  it('the sliding window rolls: each spend frees its place a window (plus margin) later', async () => {
    t = await createTestDatabase(engine);
    const clock = { t: T0 };
    const budget = budgetsAt(t.database, clock)(POLYGON);
    for (let i = 0; i < 5; i++) {
      clock.t = T0 + i * 10_000;
      await budget.take(1);
    }
    clock.t = T0 + 50_000;
    await expect(budget.take(1)).rejects.toEqual(new WouldWait(11_000));
    clock.t = T0 + 61_000;
    await budget.take(1);
    await expect(budget.take(1)).rejects.toEqual(new WouldWait(10_000));
    expect((await budget.usage()).used).toBe(5);
    clock.t = T0 + 200_000;
    expect((await budget.usage()).used).toBe(0);
  });

  it('a settled spend counts from its answer: a slow request holds its place longer', async () => {
    t = await createTestDatabase(engine);
    const clock = { t: T0 };
    const budget = budgetsAt(t.database, clock)({ ...POLYGON, limit: 1 });
    const spend = await budget.take(1);
    clock.t = T0 + 5_000;
    await spend.settle();
    await spend.settle();
    expect((await budget.usage()).used).toBe(1);
    clock.t = T0 + 61_000;
    await expect(budget.take(1)).rejects.toEqual(new WouldWait(5_000));
    clock.t = T0 + 66_000;
    await budget.take(1);
  });

  it("a pause set by one process holds every process's takes until it ends", async () => {
    t = await createTestDatabase(engine);
    const clock = { t: T0 };
    const a = budgetsAt(t.database, clock)(POLYGON);
    const b = budgetsAt(await otherProcess(t), clock)(POLYGON);
    await a.take(1);
    await a.pause(30_000, 'Polygon answered 429');
    // A shorter pause from elsewhere does not cut it short.
    await b.pause(5_000, 'Polygon answered 429');
    await expect(b.take(1)).rejects.toEqual(new WouldWait(30_000));
    expect(await b.usage()).toMatchObject({ used: 1, pausedUntil: T0 + 30_000 });
    clock.t = T0 + 30_000;
    await b.take(1);
    expect(await a.usage()).toMatchObject({ used: 2, pausedUntil: null });
  });

  it('weight per clock minute: stops at 90%, counts what Binance reports, and resets at the minute', async () => {
    t = await createTestDatabase(engine);
    const clock = { t: T0 + 10_000 };
    const budget = budgetsAt(t.database, clock)(BINANCE);
    await budget.take(2);
    // Someone else on this IP spent weight too: Binance's header says 5398 of the minute are used.
    await budget.reportUsed(5398);
    await budget.take(2);
    expect((await budget.usage()).used).toBe(5400);
    // The next klines request would pass 90% of 6000: wait for the next minute, plus the margin.
    await expect(budget.take(2)).rejects.toEqual(new WouldWait(51_000));
    clock.t = T0 + 61_000;
    await budget.take(2);
    expect((await budget.usage()).used).toBe(2);
  });

  it.runIf(engine === 'postgres')(
    'a process frozen while it holds the key row holds nobody up past its idle timeout',
    async () => {
      t = await createTestDatabase(engine);
      const limits = { statementMs: 3_000, idleMs: 1_000, lockMs: 3_000 };
      const clock = { t: T0 };
      const frozenDb = await otherProcess(t);
      const a = createSharedBudgets(frozenDb, { now: () => clock.t }, limits)(POLYGON);
      await a.take(1);
      // A stopped inside a take: its transaction holds the row, limited as every take's is, and
      // never sends another statement (the 30 s sleep stands in for SIGSTOP).
      const frozen = frozenDb.db
        .transaction(async (tx) => {
          await limitTransaction(tx, limits);
          await tx.execute(sql`select 1 from provider_quota where provider = 'polygon' for update`);
          await new Promise((r) => setTimeout(r, 30_000));
        })
        .catch((err: unknown) => err);
      await new Promise((r) => setTimeout(r, 200));
      const b = createSharedBudgets(t.database, { now: () => clock.t }, limits)(POLYGON);
      const started = performance.now();
      await b.take(1);
      const waited = performance.now() - started;
      // The server ended the frozen session at its idle timeout and the row was free: well before
      // the frozen holder would have let go by itself.
      expect(waited).toBeGreaterThanOrEqual(700);
      expect(waited).toBeLessThan(10_000);
      expect((await b.usage()).used).toBe(2);
      expect(String(await frozen)).toMatch(/idle-in-transaction timeout|terminat|closed|ended/i);
    },
    60_000,
  );
});
