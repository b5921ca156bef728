import { barOpens, type CalendarName, calendarFor, countBars, missingRanges } from '@candlebase/calendar';
import type { AssetClass, Timeframe } from '@candlebase/contracts';
import { queryRows } from '@candlebase/db';
import { createTestDatabase, type TestDatabase, testEngines } from '@candlebase/db/testing';
import type { ProviderCandle } from '@candlebase/providers';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCoverage, insertCandles } from '../backfill/write-candles';
import { analyseCoverage } from './coverage';

const NOW = Date.UTC(2025, 0, 1);

/** A deterministic choice of which expected bars to drop: runs of holes, some across weekends. */
function withHoles(opens: number[], seed: number): number[] {
  let x = seed;
  const rnd = () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
  const out: number[] = [];
  let skip = 0;
  for (const t of opens) {
    if (skip > 0) {
      skip--;
      continue;
    }
    if (rnd() < 0.01) skip = Math.floor(rnd() * 40);
    else out.push(t);
  }
  return out;
}

const bar = (ts: number): ProviderCandle => ({
  ts,
  open: 10,
  high: 11,
  low: 9,
  close: 10.5,
  volume: 1,
  vwap: null,
  trades: null,
});

/** The answer the old reader gave: every stamp of the window, read and walked. */
async function bruteForce(t: TestDatabase, cal: CalendarName, symbol: string, tf: Timeframe, from: number, to: number) {
  const rows = await queryRows<{ t: number }>(
    t.database.db,
    sql`select (extract(epoch from ts) * 1000)::float8 as t from candles
        where symbol = ${symbol} and timeframe = ${tf} and ts >= to_timestamp(${from} / 1000.0)
          and ts < to_timestamp(${to} / 1000.0) order by ts`,
  );
  const stamps = rows.map((r) => Number(r.t));
  return { count: stamps.length, missing: missingRanges(cal, tf, from, to, stamps) };
}

const CASES: { symbol: string; assetClass: AssetClass; tf: Timeframe; seed: number }[] = [
  { symbol: 'IDX', assetClass: 'equity', tf: '5m', seed: 7 },
  { symbol: 'IDX', assetClass: 'equity', tf: '1h', seed: 11 },
  { symbol: 'EURUSD', assetClass: 'fx', tf: '15m', seed: 3 },
  { symbol: 'IDX-USD', assetClass: 'crypto', tf: '1h', seed: 5 },
];

describe.each(testEngines())('coverage from the gap index on %s', (engine) => {
  let t: TestDatabase;
  const from = Date.UTC(2024, 1, 26);
  const to = Date.UTC(2024, 4, 6);
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    for (const c of CASES) {
      await t.database.db.execute(
        sql`insert into symbols (symbol, asset_class) values (${c.symbol}, ${c.assetClass}) on conflict do nothing`,
      );
      const kept = withHoles([...barOpens(calendarFor(c.assetClass), c.tf, from, to)], c.seed);
      for (let i = 0; i < kept.length; i += 5000) {
        const page = kept.slice(i, i + 5000).map(bar);
        await t.database.db.transaction(async (tx) => {
          const { inserted } = await insertCandles(tx, {
            symbol: c.symbol,
            timeframe: c.tf,
            source: 'test',
            candles: page,
          });
          await addCoverage(
            tx,
            c.symbol,
            c.tf,
            inserted,
            (page[0] as ProviderCandle).ts,
            (page.at(-1) as ProviderCandle).ts,
          );
        });
      }
    }
  });
  afterAll(async () => t?.drop());

  it.each(CASES)(
    '$symbol $tf: the same counts and missing runs as reading every bar, whole and in cut windows',
    async (c) => {
      const cal = calendarFor(c.assetClass);
      const windows: [number | undefined, number | undefined][] = [
        [undefined, undefined],
        // Cut mid-day at both ends, over a weekend and the DST change of 2024-03-10.
        [Date.UTC(2024, 2, 8, 15, 35), Date.UTC(2024, 2, 19, 18, 10)],
        [Date.UTC(2024, 3, 5, 20), Date.UTC(2024, 3, 8, 14)],
      ];
      for (const [wFrom, wTo] of windows) {
        const { coverage, ranges } = await analyseCoverage(t.database.db, {
          symbol: c.symbol,
          timeframe: c.tf,
          from: wFrom === undefined ? undefined : new Date(wFrom).toISOString(),
          to: wTo === undefined ? undefined : new Date(wTo).toISOString(),
          now: NOW,
        });
        const lo = Date.parse(coverage.window.from ?? '');
        const hi = Date.parse(coverage.window.to ?? '');
        const truth = await bruteForce(t, cal, c.symbol, c.tf, lo, hi);
        expect(coverage.window.count).toBe(truth.count);
        expect(coverage.window.expected).toBe(countBars(cal, c.tf, lo, hi));
        expect(ranges.map((r) => [r.from, r.to, r.bars])).toEqual(truth.missing.map((m) => [m.from, m.to, m.bars]));
        expect(coverage.sources).toEqual(truth.count > 0 ? [{ source: 'test', bars: truth.count }] : []);
      }
    },
  );
});
