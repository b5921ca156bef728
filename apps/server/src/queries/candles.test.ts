import { candlesPageSchema } from '@candlebase/contracts';
import { createTestDatabase, type TestDatabase, testEngines } from '@candlebase/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCandles } from '../backfill/write-candles';
import { SAMPLE_STEP, SAMPLE_T0, sampleBars } from '../testing/sample-bars';
import { listCandles } from './candles';

const T0 = SAMPLE_T0;
const STEP = SAMPLE_STEP;
const N = 1234;

/** 1,234 bars, 5 minutes apart, some with a millisecond part and with missing vwap or trades. */
const BARS = sampleBars(0, N, { extraMs: 123 });

const iso = (ms: number) => new Date(ms).toISOString();

describe.each(testEngines())('candles.list on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    await t.database.db.transaction((tx) =>
      insertCandles(tx, { symbol: 'L-USD', timeframe: '5m', source: 'test', candles: BARS }),
    );
    // Another series of the same symbol must not leak into the page.
    await t.database.db.transaction((tx) =>
      insertCandles(tx, { symbol: 'L-USD', timeframe: '1h', source: 'test', candles: BARS.slice(0, 10) }),
    );
  });
  afterAll(async () => t?.drop());

  const list = (q: { from?: string; to?: string; cursor?: string | null; limit: number }) =>
    listCandles(t.database.db, { symbol: 'L-USD', timeframe: '5m', ...q });

  it('a page is the contract exactly: newest first, every field as stored', async () => {
    const page = await list({ limit: 5 });
    expect(candlesPageSchema.parse(page)).toEqual(page);
    const newest = [...BARS].reverse().slice(0, 5);
    expect(page.candles).toEqual(
      newest.map((b) => ({
        ts: iso(b.ts),
        open: b.open,
        high: b.high,
        low: b.low,
        close: b.close,
        volume: b.volume,
        vwap: b.vwap,
        trades: b.trades,
        source: 'test',
        // Written without a fetch time (as bars stored before provenance was kept) and never revised.
        fetched_at: null,
        revised: false,
      })),
    );
    expect(page.next_cursor).toBe(page.candles[4]?.ts);
  });

  it('cursor paging walks the whole series once, without a gap or a repeat, and ends with a null cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list({ cursor, limit: 500 });
      expect(candlesPageSchema.parse(page)).toEqual(page);
      seen.push(...page.candles.map((c) => c.ts));
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(BARS.map((b) => iso(b.ts)).reverse());
  });

  it('an exact fit says there is no more', async () => {
    const page = await list({ limit: N });
    expect(page.candles).toHaveLength(N);
    expect(page.next_cursor).toBeNull();
  });

  it('from is inclusive, to exclusive, and a cursor narrows within them', async () => {
    const from = iso(T0 + 100 * STEP);
    const to = iso(T0 + 110 * STEP);
    const page = await list({ from, to, limit: 100 });
    expect(page.candles.map((c) => c.ts)).toEqual(
      BARS.slice(100, 110)
        .map((b) => iso(b.ts))
        .reverse(),
    );
    expect(page.next_cursor).toBeNull();
    const older = await list({ from, to, cursor: iso(T0 + 105 * STEP), limit: 100 });
    expect(older.candles.map((c) => c.ts)).toEqual(
      BARS.slice(100, 105)
        .map((b) => iso(b.ts))
        .reverse(),
    );
  });

  it('an unknown series is an empty page, not an error', async () => {
    const page = await listCandles(t.database.db, { symbol: 'NONE', timeframe: '1d', limit: 10 });
    expect(page).toEqual({ symbol: 'NONE', timeframe: '1d', candles: [], next_cursor: null });
  });
});
