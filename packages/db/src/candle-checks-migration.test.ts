import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from './client';
import { migrate } from './migrate';
import { createTestDatabase, type OlderMigrations, olderMigrations, type TestDatabase, testEngines } from './testing';

describe.each(testEngines())('the gap index and candle constraints migration on %s', (engine) => {
  let t: TestDatabase;
  let older: OlderMigrations;
  beforeAll(async () => {
    older = olderMigrations({ before: /CREATE TABLE "candle_days"/ });
    t = await createTestDatabase(engine, { migrationsFolder: older.folder });
  });
  afterAll(async () => {
    await t?.drop();
    older?.remove();
  });

  it('moves rows that are not candles aside, keeps the rest, and builds the gap index of what is stored', async () => {
    const { db } = t.database;
    await db.execute(sql`insert into symbols (symbol, asset_class) values ('OLD-USD', 'crypto')`);
    // Three good hourly bars over two UTC days, and one whose high is below its close.
    await db.execute(sql`
      insert into candles (symbol, timeframe, ts, open, high, low, close, volume, source) values
        ('OLD-USD', '1h', '2024-01-01T22:00:00Z', 100, 101, 99, 100.5, 10, 'binance'),
        ('OLD-USD', '1h', '2024-01-01T23:00:00Z', 100, 101, 99, 100.5, 10, 'binance'),
        ('OLD-USD', '1h', '2024-01-02T00:00:00Z', 100, 101, 99, 100.5, 10, 'csv'),
        ('OLD-USD', '1h', '2024-01-02T01:00:00Z', 100, 99.5, 99, 100.5, 10, 'csv')`);
    await db.execute(sql`
      insert into series_coverage (symbol, timeframe, first_ts, last_ts, count)
      values ('OLD-USD', '1h', '2024-01-01T22:00:00Z', '2024-01-02T01:00:00Z', 4)`);
    // An equity whose close steps down 4x, as an unrecorded 4:1 split looks.
    await db.execute(sql`insert into symbols (symbol, asset_class) values ('STEP', 'equity')`);
    await db.execute(sql`
      insert into candles (symbol, timeframe, ts, open, high, low, close, volume, source) values
        ('STEP', '1d', '2024-06-07T00:00:00Z', 100, 101, 99, 100, 10, 'polygon'),
        ('STEP', '1d', '2024-06-10T00:00:00Z', 25, 26, 24, 25, 40, 'polygon')`);
    const job = await queryRows<{ id: string }>(
      db,
      sql`insert into backfill_jobs (symbols, start_date, end_date, timeframes, provider, status)
          values (array['OLD-USD'], '2024-01-01', '2024-01-02', array['1h'], 'binance', 'completed') returning id`,
    );

    expect((await migrate(t.database)).applied).toBeGreaterThan(0);

    const kept = await queryRows<{ ts: string }>(
      db,
      sql`select ts::text as ts from candles where symbol = 'OLD-USD' order by ts`,
    );
    expect(kept).toHaveLength(3);
    const aside = await queryRows<{ high: number; close: number; source: string }>(
      db,
      sql`select high, close, source from candles_quarantine`,
    );
    expect(aside).toEqual([{ high: 99.5, close: 100.5, source: 'csv' }]);
    const summary = await queryRows<{ n: number; last: string }>(
      db,
      sql`select count::int as n, to_char(last_ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as last from series_coverage`,
    );
    expect(summary).toEqual([{ n: 3, last: '2024-01-02T00:00' }]);
    const days = await queryRows<{ day: string; source: string; bars: number }>(
      db,
      sql`select day::text as day, source, bars from candle_days order by day, source, symbol`,
    );
    expect(days).toEqual([
      { day: '2024-01-01', source: 'binance', bars: 2 },
      { day: '2024-01-02', source: 'csv', bars: 1 },
      { day: '2024-06-07', source: 'polygon', bars: 1 },
      { day: '2024-06-10', source: 'polygon', bars: 1 },
    ]);
    const suspects = await queryRows<{ symbol: string; prev_close: number; close: number }>(
      db,
      sql`select symbol, prev_close, close from split_suspects`,
    );
    expect(suspects).toEqual([{ symbol: 'STEP', prev_close: 100, close: 25 }]);

    // From now on such a bar is refused where it is written, and so is a status nobody knows.
    await expect(db.execute(sql`update candles set volume = -1 where ts = '2024-01-02T00:00:00Z'`)).rejects.toThrow();
    await expect(
      db.execute(sql`update backfill_jobs set status = 'done' where id = ${job[0]?.id ?? ''}`),
    ).rejects.toThrow();
    // The page read along the primary key.
    const page = await queryRows<{ ts: string }>(
      db,
      sql`select to_char(ts at time zone 'UTC', 'HH24:MI') as ts from candles_page('OLD-USD', '1h', null, null, 2)`,
    );
    expect(page).toEqual([{ ts: '00:00' }, { ts: '23:00' }]);
  });
});
