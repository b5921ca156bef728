import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillJobs, candles, symbols } from './schema/index';
import { createTestDatabase, type TestDatabase, testEngines } from './testing';

describe.each(testEngines())('schema on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());

  const bar = {
    symbol: 'AAPL',
    timeframe: '1h',
    ts: new Date('2024-01-02T15:00:00Z'),
    open: 187.15,
    high: 188.44,
    low: 183.89,
    close: 185.64,
    volume: 82488700.5,
    vwap: 185.9,
    trades: 1009074,
    source: 'test',
  };

  it('round-trips a candle', async () => {
    await t.database.db.insert(symbols).values({ symbol: 'AAPL', name: 'Apple Inc.', assetClass: 'equity' });
    await t.database.db.insert(candles).values(bar);
    const [row] = await t.database.db.select().from(candles).where(eq(candles.symbol, 'AAPL'));
    // Bars written outside the engine carry no fetch time and are not revised.
    expect(row).toEqual({ ...bar, fetchedAt: null, revised: false });
  });

  it('refuses a duplicate (symbol, timeframe, ts)', async () => {
    await expect(t.database.db.insert(candles).values({ ...bar, close: bar.low })).rejects.toThrow();
    const inserted = await t.database.db
      .insert(candles)
      .values({ ...bar, close: bar.low })
      .onConflictDoNothing()
      .returning();
    expect(inserted).toHaveLength(0);
  });

  it('round-trips a job with its arrays, dates and defaults', async () => {
    const [job] = await t.database.db
      .insert(backfillJobs)
      .values({
        symbols: ['AAPL', 'BTC-USD'],
        startDate: '2024-01-01',
        endDate: '2024-01-31',
        timeframes: ['1h', '1d'],
        provider: 'synthetic',
        symbolsTotal: 2,
      })
      .returning();
    expect(job).toMatchObject({
      symbols: ['AAPL', 'BTC-USD'],
      startDate: '2024-01-01',
      endDate: '2024-01-31',
      timeframes: ['1h', '1d'],
      status: 'queued',
      progressPct: 0,
      totalRecordsInserted: 0,
    });
    expect(job?.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
