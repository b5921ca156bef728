import { queryRows } from '@candlebase/db';
import { createTestDatabase, type TestDatabase, testEngines } from '@candlebase/db/testing';
import type { ProviderCandle } from '@candlebase/providers';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYZE_MIN_ROWS, FreshStatistics } from './fresh-statistics';
import { insertCandles } from './write-candles';

const T0 = Date.UTC(2024, 0, 1);
const STEP = 5 * 60_000;
const bars = (n: number): ProviderCandle[] =>
  Array.from({ length: n }, (_, i) => ({
    ts: T0 + i * STEP,
    open: 100,
    high: 101,
    low: 99,
    close: 100.5,
    volume: 10,
    vwap: null,
    trades: null,
  }));

/** The planner's row estimate for one series, as `candles.list` filters it. */
async function estimate(t: TestDatabase, symbol: string): Promise<number> {
  const rows = await queryRows<{ 'QUERY PLAN': unknown }>(
    t.database.db,
    sql`explain (format json) select ts from candles where symbol = ${symbol} and timeframe = '5m'`,
  );
  const plan = rows[0]?.['QUERY PLAN'];
  const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as { Plan: { 'Plan Rows': number } }[];
  return parsed[0]?.Plan['Plan Rows'] ?? 0;
}

describe.each(testEngines())('statistics after a bulk load on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());

  it('a load past the threshold is analysed, so the planner knows the series; then nothing is left to do', async () => {
    const stats = new FreshStatistics(t.database, pino({ level: 'silent' }));
    await t.database.db.transaction((tx) =>
      insertCandles(tx, { symbol: 'BULK-USD', timeframe: '5m', source: 'test', candles: bars(1000) }),
    );
    // Below the threshold: nothing to analyse yet.
    expect(await stats.refresh()).toEqual([]);
    const n = ANALYZE_MIN_ROWS + 10_000;
    await t.database.db.transaction((tx) =>
      insertCandles(tx, { symbol: 'BULK-USD', timeframe: '5m', source: 'test', candles: bars(n).slice(1000) }),
    );
    // Table statistics reach the cumulative view when the writing session flushes them (at most
    // a few seconds later on Postgres); the worker looks again after every unit anyway.
    let analysed: string[] = [];
    for (let i = 0; i < 60 && analysed.length === 0; i++) {
      analysed = await stats.refresh();
      if (analysed.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(analysed).toContain('candles');
    const planned = await estimate(t, 'BULK-USD');
    expect(planned).toBeGreaterThan(n * 0.8);
    expect(planned).toBeLessThan(n * 1.2);
    expect(await stats.refresh()).toEqual([]);
  });
});
