import { barOpens, countBars } from '@candlebase/calendar';
import type { Timeframe } from '@candlebase/contracts';
import { testEngines } from '@candlebase/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseCoverage } from '../enrichment/coverage';
import { finishedJob, storedBars } from '../testing/backfill-checks';
import { asStored, barAt, type FakePolygon, startFakePolygon } from '../testing/fake-polygon';
import { type Harness, startHarness } from '../testing/harness';

/**
 * Sessions at the wire: a fake Polygon whose stocks trade 04:00-20:00 New York, with clock-aligned
 * bars and none for a minute without trades, as Polygon's aggregates are. March 2024 holds the
 * US switch to daylight time (Sunday 03-10) and Good Friday (03-29).
 */
const MONTH = { start_date: '2024-03-01', end_date: '2024-03-31' };
const FROM = Date.UTC(2024, 2, 1);
const TO = Date.UTC(2024, 3, 1);
/** A clock after every bar of the month has closed. */
const NOW = Date.UTC(2024, 3, 2);
const HALF_HOUR = 1_800_000;

const aggs = (fake: FakePolygon) => fake.requests.filter((r) => r.url.pathname.startsWith('/v2/aggs/'));

describe.each(testEngines())('equity sessions through a fake Polygon on %s', (engine) => {
  let h: Harness;
  let fake: FakePolygon;

  beforeAll(async () => {
    fake = await startFakePolygon({ pageSize: 5_000, stockHours: true });
    h = await startHarness(engine, { provider: fake.provider(), http: false });
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it('serves what Polygon serves: pre-market from 04:00, after-hours to 20:00, clock-aligned hours', async () => {
    // Friday 2024-03-08 is on standard time: 04:00 New York is 09:00 UTC, 20:00 is 01:00 the next day.
    const day = `${Date.UTC(2024, 2, 8, 5)}/${Date.UTC(2024, 2, 9, 6) - 1}`;
    const res = await fetch(`${fake.baseUrl}/v2/aggs/ticker/PROBE/range/1/hour/${day}?apiKey=${fake.apiKey}`);
    const body = (await res.json()) as { results: { t: number }[] };
    const hours = body.results.map((b) => new Date(b.t).toISOString());
    expect(hours).toHaveLength(16);
    expect(hours[0]).toBe('2024-03-08T09:00:00.000Z');
    expect(hours).toContain('2024-03-08T14:00:00.000Z'); // 09:00-10:00 New York: pre-market and the open
    expect(hours.at(-1)).toBe('2024-03-09T00:00:00.000Z');
  });

  it('stores exactly the regular session of a month of 5m and 1h bars (100% coverage), and a re-run fetches nothing', async () => {
    const job = await h.caller.backfill.create({ symbols: ['AAPL'], timeframes: ['5m', '1h'], ...MONTH });
    const done = await finishedJob(h.test.database.db, job.job_id);
    expect(done.status).toBe('completed');

    for (const tf of ['5m', '1h'] as Timeframe[]) {
      const expected = countBars('nyse', tf, FROM, TO);
      const stored = await storedBars(h.test.database.db, 'AAPL', tf);
      expect(stored.map((b) => b.ts)).toEqual([...barOpens('nyse', tf, FROM, TO)]);
      const { coverage } = await analyseCoverage(h.test.database.db, { symbol: 'AAPL', timeframe: tf, now: NOW });
      expect(coverage.calendar).toBe('nyse');
      expect(coverage.window.expected).toBe(expected);
      expect(coverage.window.coverage_pct).toBe(100);
    }
    // 20 full sessions (Good Friday closed): 78 five-minute and 7 hourly bars each.
    expect(countBars('nyse', '5m', FROM, TO)).toBe(20 * 78);
    expect(countBars('nyse', '1h', FROM, TO)).toBe(20 * 7);

    // 5m bars are Polygon's own, minus pre-market and after-hours.
    const fives = await storedBars(h.test.database.db, 'AAPL', '5m');
    expect(fives[0]).toEqual(asStored(barAt('AAPL', Date.parse('2024-03-01T14:30:00Z'))));
    // The first hour after the DST change opens at 09:30 New York = 13:30 UTC, built from two half hours:
    // no trade of the 09:00 pre-market half hour is in it.
    const hours = await storedBars(h.test.database.db, 'AAPL', '1h');
    const first = Date.parse('2024-03-11T13:30:00Z');
    const a = barAt('AAPL', first);
    const b = barAt('AAPL', first + HALF_HOUR);
    const built = hours.find((bar) => bar.ts === first);
    expect(built).toMatchObject({
      open: a.o,
      close: b.c,
      high: Math.max(a.h, b.h),
      low: Math.min(a.l, b.l),
      volume: a.v + b.v,
      trades: (a.n ?? 0) + (b.n ?? 0),
    });
    expect(built?.vwap).toBeCloseTo(((a.vw ?? 0) * a.v + (b.vw ?? 0) * b.v) / (a.v + b.v), 9);
    // The last hour of a day is the half hour to the 16:00 close.
    const close = barAt('AAPL', Date.parse('2024-03-11T19:30:00Z'));
    expect(hours.find((bar) => bar.ts === Date.parse('2024-03-11T19:30:00Z'))).toMatchObject({
      open: close.o,
      close: close.c,
    });
    // 1h bars were asked as 30-minute aggregates, never as Polygon's clock hours.
    expect(aggs(fake).every((r) => !r.url.pathname.includes('/range/1/hour/') || r.ticker === 'PROBE')).toBe(true);

    const before = aggs(fake).length;
    const again = await h.caller.backfill.create({ symbols: ['AAPL'], timeframes: ['5m', '1h'], ...MONTH });
    const second = await finishedJob(h.test.database.db, again.job_id);
    expect(second.status).toBe('completed');
    expect(second.total_records_inserted).toBe(0);
    expect(aggs(fake).length).toBe(before);
  });

  it('keeps 04:00-20:00 New York for a symbol whose session policy is extended', async () => {
    const added = await h.caller.symbols.add({ symbol: 'TSLA', session: 'extended' });
    expect(added.session).toBe('extended');
    const week = { start_date: '2024-03-04', end_date: '2024-03-15' };
    const from = Date.UTC(2024, 2, 4);
    const to = Date.UTC(2024, 2, 16);
    const job = await h.caller.backfill.create({ symbols: ['TSLA'], timeframes: ['5m', '1h'], ...week });
    expect((await finishedJob(h.test.database.db, job.job_id)).status).toBe('completed');

    const hours = await storedBars(h.test.database.db, 'TSLA', '1h');
    // Polygon's own clock hours, 16 a day for ten days, across the DST change.
    expect(hours).toHaveLength(10 * 16);
    expect(hours.map((b) => b.ts)).toEqual([...barOpens('nyse-extended', '1h', from, to)]);
    expect(new Date(hours[0]?.ts ?? 0).toISOString()).toBe('2024-03-04T09:00:00.000Z');
    expect(hours[0]).toEqual(asStored(barAt('TSLA', Date.UTC(2024, 2, 4, 9))));
    expect(hours.some((b) => b.ts === Date.parse('2024-03-11T08:00:00Z'))).toBe(true); // 04:00 EDT
    expect(hours.some((b) => b.ts === Date.parse('2024-03-15T23:00:00Z'))).toBe(true); // 19:00 EDT
    const fives = await storedBars(h.test.database.db, 'TSLA', '5m');
    expect(fives).toHaveLength(10 * 192);
    for (const tf of ['5m', '1h'] as Timeframe[]) {
      const { coverage } = await analyseCoverage(h.test.database.db, { symbol: 'TSLA', timeframe: tf, now: NOW });
      expect(coverage.calendar).toBe('nyse-extended');
      expect(coverage.window.coverage_pct).toBe(100);
    }
  });

  it('stores no bar for an interval without trades, and fills nothing in', async () => {
    const quietFake = await startFakePolygon({
      pageSize: 5_000,
      stockHours: true,
      // 12:00-12:15 New York on 2024-03-05 (17:00-17:15 UTC): not one trade.
      quiet: (_ticker, m) => m >= Date.UTC(2024, 2, 5, 17) && m < Date.UTC(2024, 2, 5, 17, 15),
    });
    const q = await startHarness(engine, { provider: quietFake.provider(), http: false });
    try {
      const job = await q.caller.backfill.create({
        symbols: ['THIN'],
        timeframes: ['5m', '1h'],
        start_date: '2024-03-05',
        end_date: '2024-03-05',
      });
      expect((await finishedJob(q.test.database.db, job.job_id)).status).toBe('completed');
      const fives = (await storedBars(q.test.database.db, 'THIN', '5m')).map((b) => new Date(b.ts).toISOString());
      expect(fives).toHaveLength(78 - 3);
      expect(fives).not.toContain('2024-03-05T17:00:00.000Z');
      expect(fives).not.toContain('2024-03-05T17:10:00.000Z');
      // The 11:30-12:30 hour keeps its traded half hour and nothing invented for the quiet one.
      const hours = await storedBars(q.test.database.db, 'THIN', '1h');
      expect(hours).toHaveLength(7);
      const h1130 = hours.find((b) => b.ts === Date.UTC(2024, 2, 5, 16, 30));
      const traded = barAt('THIN', Date.UTC(2024, 2, 5, 16, 30));
      const after = barAt('THIN', Date.UTC(2024, 2, 5, 17));
      expect(h1130?.volume).toBe(traded.v + after.v);
    } finally {
      await q.close();
      await quietFake.close();
    }
  });
});
