import { candlesPageSchema } from '@candlebase/contracts';
import { createTestDatabase, type TestDatabase, testEngines } from '@candlebase/db/testing';
import type { ProviderCandle } from '@candlebase/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCandles } from '../backfill/write-candles';
import { listCandles } from './candles';

const T0 = Date.UTC(2024, 0, 1);
const STEP = 5 * 60_000;
const N = 1234;

/** 1,234 bars, 5 minutes apart, some with a millisecond part and with missing vwap or trades. */
const BARS: ProviderCandle[] = Array.from({ length: N }, (_, i) => ({
  ts: T0 + i * STEP + (i % 10 === 0 ? 123 : 0),
  open: 100 + i / 3,
  high: 101 + i / 3,
  low: 99 + i / 3,
  close: 100.5 + i / 7,
  volume: 1234.5678 + i,
  vwap: i % 3 === 0 ? null : 100.25 + i / 11,
  trades: i % 4 === 0 ? null : 10 + i,
}));

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
