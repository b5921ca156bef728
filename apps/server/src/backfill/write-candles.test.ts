import { copyInto, queryRows } from '@candlebase/db';
import { createTestDatabase, type TestDatabase, testEngines } from '@candlebase/db/testing';
import type { ProviderCandle } from '@candlebase/providers';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedBars } from '../testing/backfill-checks';
import { sampleBars as bars } from '../testing/sample-bars';
import { encodeCopyBinary, insertCandles, isUniqueViolation } from './write-candles';

const COLUMNS = ['symbol', 'timeframe', 'ts', 'open', 'high', 'low', 'close', 'volume', 'vwap', 'trades', 'source'];

describe.each(testEngines())('writing candles on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());

  const write = (symbol: string, candles: ProviderCandle[]) =>
    t.database.db.transaction((tx) => insertCandles(tx, { symbol, timeframe: '5m', source: 'test', candles }));

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
      .transaction((tx) => copyInto(tx, { table: 'candles', columns: COLUMNS, format: 'binary' }, data))
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

  it('leaves a trade count that int4 cannot hold to the merge path', () => {
    const page = bars(0, 2);
    page[1] = { ...(page[1] as ProviderCandle), trades: 2 ** 31 };
    expect(encodeCopyBinary({ symbol: 'X', timeframe: '5m', source: 'test', candles: page })).toBeNull();
  });
});
