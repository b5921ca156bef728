import { backfillStatusSchema } from '@candlebase/contracts';
import { testEngines } from '@candlebase/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { finishedJob } from '../testing/backfill-checks';
import { type FakePolygon, startFakePolygon } from '../testing/fake-polygon';
import { type Harness, startHarness } from '../testing/harness';
import { unitBars } from './bar-progress';
import { eventsAfter } from './events';

const JAN_2024 = { from: Date.parse('2024-01-01T00:00:00Z'), to: Date.parse('2024-02-01T00:00:00Z') };
const NYSE_1H = { calendar: 'nyse' as const, timeframe: '1h' as const, settleMs: 0 };
const LATER = Date.parse('2024-06-01T00:00:00Z');

describe('bars of a unit', () => {
  // January 2024: 21 NYSE trading days (New Year's Day and MLK Day closed), 7 hourly bars each.
  it("expects the calendar's bars, and counts those before the cursor as passed", () => {
    const unit = { range: JAN_2024, cursor: null, status: 'pending' as const, completedAt: null };
    expect(unitBars(NYSE_1H, unit, LATER)).toEqual({ expected: 147, done: 0 });
    // Through Tuesday 9 January: the 2nd to the 5th, the 8th and the 9th, 6 days.
    const cursor = Date.parse('2024-01-10T00:00:00Z');
    expect(unitBars(NYSE_1H, { ...unit, status: 'running', cursor }, LATER)).toEqual({ expected: 147, done: 42 });
    expect(unitBars(NYSE_1H, { ...unit, status: 'cancelled', cursor, completedAt: LATER }, LATER).done).toBe(42);
    expect(unitBars(NYSE_1H, { ...unit, status: 'completed', cursor, completedAt: LATER }, LATER).done).toBe(147);
  });

  it('expects only the bars closed by now in a range that reaches it', () => {
    // Tuesday 16 January, 10:00 New York: the 9:30 bar has not closed. 2nd to 12th: 9 days.
    const now = Date.parse('2024-01-16T15:00:00Z');
    const unit = { range: JAN_2024, cursor: null, status: 'running' as const, completedAt: null };
    expect(unitBars(NYSE_1H, unit, now)).toEqual({ expected: 63, done: 0 });
    // A unit that ended keeps the count of its end, whatever the time now.
    expect(unitBars(NYSE_1H, { ...unit, status: 'failed', completedAt: now }, LATER).expected).toBe(63);
  });
});

describe.each(testEngines())('bars progress of a job on %s', (engine) => {
  let h: Harness | undefined;
  let polygon: FakePolygon | undefined;
  afterEach(async () => {
    await h?.close();
    await polygon?.close();
    h = undefined;
    polygon = undefined;
  });

  it('a queued job says the bars it expects and the time its quota needs, as the preview does', async () => {
    polygon = await startFakePolygon({ pageSize: 50_000 });
    h = await startHarness(engine, {
      env: { ...polygon.serverEnv(), WORKER_ENABLED: 'false', POLYGON_REQUESTS_PER_MINUTE: '5' },
    });
    const request = {
      symbols: ['BTC-USD'],
      timeframes: ['1h' as const],
      start_date: '2023-01-01',
      end_date: '2023-12-31',
    };
    const preview = await h.caller.backfill.preview(request);
    const { job_id } = await h.caller.backfill.create(request);
    const status = backfillStatusSchema.parse(await (await fetch(`${h.url}/api/v1/backfill/status/${job_id}`)).json());
    expect(status).toMatchObject({ bars_expected: 365 * 24, bars_done: 0 });
    expect(status.details[0]).toMatchObject({ bars_expected: 365 * 24, bars_done: 0 });
    // 11 requests at 5 a minute: two waits for the window.
    expect(preview.total_requests).toBe(11);
    expect(status.quota_seconds_left).toBe(preview.estimated_seconds);
    expect(status.quota_seconds_left).toBeGreaterThan(120);
    expect((await h.caller.backfill.status({ jobId: job_id })).bars_expected).toBe(365 * 24);
  });

  it("a long unit's bars move with each page, and end at every bar it stored", async () => {
    h = await startHarness(engine);
    const { job_id } = await h.caller.backfill.create({
      symbols: ['AAPL'],
      timeframes: ['5m'],
      start_date: '2024-01-01',
      end_date: '2024-08-31',
    });
    const db = h.running.app.database.db;
    await finishedJob(db, job_id);
    const pages = (await eventsAfter(db, job_id, '0', 1000)).filter((e) => e.kind === 'unit_progress');
    const passed = pages.map((e) => e.data?.unit_bars_done);
    // The synthetic provider's pages hold 10,000 bars: the first page passes exactly those.
    expect(passed[0]).toBe(10_000);
    expect(passed.length).toBeGreaterThan(1);
    const status = await h.caller.backfill.status({ jobId: job_id });
    const stored = status.details[0]?.records_inserted;
    expect(status).toMatchObject({ status: 'completed', bars_expected: stored, bars_done: stored });
    expect(passed.at(-1)).toBe(stored);
    expect(status.quota_seconds_left ?? null).toBeNull();
  });
});
