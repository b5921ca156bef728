import { calendarFor } from '@candlebase/calendar';
import { queryRows } from '@candlebase/db';
import { iso } from '@candlebase/db/rows';
import { testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedJob, storedBars } from '../testing/backfill-checks';
import { asStored, barAsOf, barAt, type FakePolygon, startFakePolygon } from '../testing/fake-polygon';
import { type Harness, startHarness } from '../testing/harness';
import { rereadFrom } from './plan';
import { RefreshScheduler } from './scheduler';

const MIN = 60_000;
const STEP = 5 * MIN;
// Tuesday 2024-03-12 10:20 UTC, then the next intraday slot.
const T0 = Date.parse('2024-03-12T10:20:00Z');
const T1 = T0 + 15 * MIN;
// A correction that lands after Polygon's usual 15 minutes: only a re-read catches it.
const LATE_MS = 30 * MIN;

describe('the trailing window a refresh re-reads', () => {
  it('intraday: the bars that closed within the window; daily: the latest sessions', () => {
    const nyse = calendarFor('equity');
    const reread = { intradayMs: 60 * MIN, dailySessions: 2 };
    expect(iso(rereadFrom(nyse, '5m', T1, reread))).toBe('2024-03-12T09:30:00.000Z');
    expect(iso(rereadFrom(nyse, '1h', T1, reread))).toBe('2024-03-12T09:00:00.000Z');
    // Tuesday morning: Monday's and the Friday before's daily bars (the weekend has none).
    expect(iso(rereadFrom(nyse, '1d', T1, reread))).toBe('2024-03-08T00:00:00.000Z');
    expect(rereadFrom(nyse, '5m', T1, { intradayMs: 0, dailySessions: 0 })).toBe(Number.POSITIVE_INFINITY);
    expect(rereadFrom(nyse, '1d', T1, { intradayMs: 0, dailySessions: 0 })).toBe(Number.POSITIVE_INFINITY);
  });
});

describe.each(testEngines())('a scheduled refresh catches late revisions on %s', (engine) => {
  let now = T0;
  const clock = () => now;
  let polygon: FakePolygon;
  let h: Harness;
  beforeAll(async () => {
    polygon = await startFakePolygon({ now: clock, lateMs: LATE_MS });
    h = await startHarness(engine, { provider: polygon.provider(), clock, http: false });
  });
  afterAll(async () => {
    await h?.close();
    await polygon?.close();
  });

  it('re-reads the last hour, updates the bars that changed and stores the ones that settled since', async () => {
    const seeded = await h.caller.backfill.create({
      symbols: ['BTC-USD'],
      timeframes: ['5m'],
      start_date: '2024-03-12',
      end_date: '2024-03-12',
    });
    const first = await finishedJob(h.test.database.db, seeded.job_id);
    // Settled by 10:20 (15 minutes after the close): 00:00 to 10:00; 09:50 to 10:00 are still changing.
    expect(first.total_records_inserted).toBe(121);

    now = T1;
    const tick = await new RefreshScheduler(h.running.app, clock).tick();
    const rows = await queryRows<{ rs: unknown; re: unknown; refetch: boolean }>(
      h.test.database.db,
      sql`select u.range_start as rs, u.range_end as re, j.refetch from backfill_job_progress u
          join backfill_jobs j on j.id = u.job_id where j.origin = 'scheduled'`,
    );
    expect(rows.map((r) => [iso(r.rs), iso(r.re), r.refetch])).toEqual([
      ['2024-03-12T09:30:00.000Z', '2024-03-12T10:35:00.000Z', true],
    ]);
    const s = await finishedJob(h.test.database.db, tick.job?.job_id ?? '');
    // New: 10:05 to 10:15 (settled by 10:35). Revised: 09:50, 09:55 and 10:00, final since.
    expect(s.details.map((d) => [d.records_inserted, d.records_updated])).toEqual([[3, 3]]);
    expect(s.total_records_updated).toBe(3);
    const expected = [];
    for (let t = Date.parse('2024-03-12T00:00:00Z'); t <= Date.parse('2024-03-12T10:15:00Z'); t += STEP) {
      expected.push(asStored(barAsOf(barAt('X:BTCUSD', t), STEP, T1, LATE_MS)));
    }
    expect(await storedBars(h.test.database.db, 'BTC-USD', '5m')).toEqual(expected);
  });
});
