import { copyInto, queryRows } from '@candlebase/db';
import { createTestDatabase, type TestDatabase, testEngines } from '@candlebase/db/testing';
import type { ProviderCandle } from '@candlebase/providers';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedBars } from '../testing/backfill-checks';
import { sampleBars as bars } from '../testing/sample-bars';
import { COPY_COLUMNS, encodeCopyBinary, insertCandles, isUniqueViolation } from './write-candles';

describe.each(testEngines())('writing candles on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());

  const writeCounting = (symbol: string, candles: ProviderCandle[], fetchedAt?: number) =>
    t.database.db.transaction((tx) =>
      insertCandles(tx, { symbol, timeframe: '5m', source: 'test', candles, fetchedAt }),
    );
  /** New rows only, as the write has always answered. */
  const write = async (symbol: string, candles: ProviderCandle[]) => (await writeCounting(symbol, candles)).inserted;

  it('stores a page exactly as sent (binary COPY), and counts only new rows on overlap', async () => {
    const page = bars(0, 500);
    expect(await write('W-USD', page)).toBe(500);
    expect(await storedBars(t.database.db, 'W-USD', '5m')).toEqual(page);
    // Half old, half new: the merge path, which counts the new half only.
    expect(await write('W-USD', bars(250, 500))).toBe(250);
    expect(await write('W-USD', bars(0, 750))).toBe(0);
  });

  it('a COPY that meets a stored row fails with a unique violation, promptly, and the transaction rolls back', async () => {
    await write('DUP-USD', bars(10, 1));
    const data = encodeCopyBinary({ symbol: 'DUP-USD', timeframe: '5m', source: 'test', candles: bars(0, 100) });
    if (!data) throw new Error('did not encode');
    const started = Date.now();
    const err = await t.database.db
      .transaction((tx) => copyInto(tx, { table: 'candles', columns: COPY_COLUMNS, format: 'binary' }, data))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isUniqueViolation(err)).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The connection is usable and nothing of the failed COPY stayed.
    const n = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from candles where symbol = 'DUP-USD'`,
    );
    expect(Number(n[0]?.n)).toBe(1);
    expect(await write('DUP-USD', bars(0, 100))).toBe(99);
  });

  it('a later page with different values updates the stored bars, counted apart from new rows; the same values update nothing', async () => {
    const first = bars(0, 10);
    const FETCHED = Date.UTC(2024, 0, 1, 12);
    expect(await writeCounting('REV-USD', first, FETCHED)).toEqual({ inserted: 10, updated: 0 });
    // Late prints: bars 6-9 change (a close, a volume, a vwap to null and one from null), bars 10-11 are new.
    const revise: Record<number, Partial<ProviderCandle>> = {
      6: { close: 100 + 6 / 3 + 3 / 7 + 0.01 },
      7: { volume: 1234.5678 + 7 + 5 },
      8: { vwap: null },
      9: { vwap: 100 },
    };
    const later = bars(0, 12).map((c, i) => ({ ...c, ...revise[i] }));
    const REFETCHED = FETCHED + 600_000;
    expect(await writeCounting('REV-USD', later, REFETCHED)).toEqual({ inserted: 2, updated: 4 });
    expect(await storedBars(t.database.db, 'REV-USD', '5m')).toEqual(later);
    const provenance = await queryRows<{ fetched: number; revised: boolean }>(
      t.database.db,
      sql`select (extract(epoch from fetched_at) * 1000)::float8 as fetched, revised
          from candles where symbol = 'REV-USD' order by ts`,
    );
    expect(provenance.map((r) => [Number(r.fetched), r.revised])).toEqual(
      later.map((_, i) => (i >= 10 ? [REFETCHED, false] : i >= 6 ? [REFETCHED, true] : [FETCHED, false])),
    );
    // The same values again: nothing new, nothing changed, stamps kept.
    expect(await writeCounting('REV-USD', later, REFETCHED + 600_000)).toEqual({ inserted: 0, updated: 0 });
    const again = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from candles where symbol = 'REV-USD' and fetched_at > to_timestamp(${REFETCHED} / 1000.0)`,
    );
    expect(Number(again[0]?.n)).toBe(0);
  });

  it('the COPY path stamps fetched_at too', async () => {
    const at = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
    expect(await writeCounting('STAMP-USD', bars(0, 3), at)).toEqual({ inserted: 3, updated: 0 });
    const rows = await queryRows<{ fetched: number; revised: boolean }>(
      t.database.db,
      sql`select (extract(epoch from fetched_at) * 1000)::float8 as fetched, revised from candles where symbol = 'STAMP-USD'`,
    );
    expect(rows.map((r) => [Number(r.fetched), r.revised])).toEqual([
      [at, false],
      [at, false],
      [at, false],
    ]);
  });

  it('leaves a trade count that int4 cannot hold to the merge path', () => {
    const page = bars(0, 2);
    page[1] = { ...(page[1] as ProviderCandle), trades: 2 ** 31 };
    expect(encodeCopyBinary({ symbol: 'X', timeframe: '5m', source: 'test', candles: page })).toBeNull();
  });

  it('the gap index counts every bar by UTC day and source through both paths, revisions and a change of source', async () => {
    // Two days of 5m bars (576) across midnight, first by COPY, then overlapped by the merge path.
    const all = bars(0, 576);
    const page = all.slice(0, 400);
    await t.database.db.transaction((tx) =>
      insertCandles(tx, { symbol: 'DAYS-USD', timeframe: '5m', source: 'polygon', candles: page }),
    );
    const overlap = all.slice(300).map((c, i) => (i < 50 ? { ...c, close: c.low } : c));
    const counted = await t.database.db.transaction((tx) =>
      insertCandles(tx, { symbol: 'DAYS-USD', timeframe: '5m', source: 'yahoo', candles: overlap }),
    );
    expect(counted).toEqual({ inserted: 176, updated: 50 });
    const index = await queryRows<{ day: string; source: string; bars: number }>(
      t.database.db,
      sql`select day::text as day, source, bars from candle_days where symbol = 'DAYS-USD' order by day, source`,
    );
    const truth = await queryRows<{ day: string; source: string; bars: number }>(
      t.database.db,
      sql`select (ts at time zone 'UTC')::date::text as day, source, count(*)::int as bars from candles
          where symbol = 'DAYS-USD' group by 1, 2 order by 1, 2`,
    );
    expect(index).toEqual(truth);
    // 288 bars on the 1st, all from polygon; on the 2nd, 12 polygon, 50 revised by yahoo, 176 new from yahoo.
    expect(index).toEqual([
      { day: '2024-01-01', source: 'polygon', bars: 288 },
      { day: '2024-01-02', source: 'polygon', bars: 62 },
      { day: '2024-01-02', source: 'yahoo', bars: 226 },
    ]);
  });
});
