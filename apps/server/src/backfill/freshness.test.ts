import type { BackfillJob, QuotaWaitInfo } from '@candlebase/contracts';
import { testEngines } from '@candlebase/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefreshScheduler } from '../scheduler/scheduler';
import { finishedJob } from '../testing/backfill-checks';
import { type FakePolygon, startFakePolygon } from '../testing/fake-polygon';
import { eventually, type Harness, startHarness } from '../testing/harness';

const MIN = 60_000;
// Tuesday 2024-03-12 10:20 UTC, then the next intraday slot: the clock the server and scheduler are handed.
const T0 = Date.parse('2024-03-12T10:20:00Z');
const T1 = T0 + 15 * MIN;
// A long history job: a year of daily bars for each of these, one Polygon request per unit.
const HISTORY = ['ETH-USD', 'SOL-USD', 'ADA-USD', 'XRP-USD', 'DOT-USD', 'LTC-USD', 'AVAX-USD', 'LINK-USD'];
// Two requests per 1.5 s, shared by both jobs (and the reachability check): the quota sets the pace.
const QUOTA = { POLYGON_REQUESTS_PER_MINUTE: '2', POLYGON_QUOTA_WINDOW_MS: '1500' };

describe.each(testEngines())('freshness first on %s', (engine) => {
  let now = T0;
  const clock = () => now;
  let polygon: FakePolygon;
  let h: Harness;
  beforeAll(async () => {
    polygon = await startFakePolygon();
    h = await startHarness(engine, { env: { ...polygon.serverEnv(), ...QUOTA, WORKER_CONCURRENCY: '1' }, clock });
  });
  afterAll(async () => {
    await h?.close();
    await polygon?.close();
  });

  it('a scheduled refresh queued behind a long history job finishes first; the history job still completes', async () => {
    const db = h.running.app.database.db;
    // A tracked series, so the scheduler has something to refresh.
    const seed = await h.caller.backfill.create({
      symbols: ['BTC-USD'],
      timeframes: ['5m'],
      start_date: '2024-03-12',
      end_date: '2024-03-12',
    });
    expect((await finishedJob(db, seed.job_id)).status).toBe('completed');

    const history = await h.caller.backfill.create({
      symbols: HISTORY,
      timeframes: ['1d'],
      start_date: '2023-01-01',
      end_date: '2023-12-31',
    });
    now = T1;
    const tick = await new RefreshScheduler(h.running.app, clock).tick();
    expect(tick.units).toBe(1);
    const refreshId = tick.job?.job_id ?? '';

    // Watch the recent jobs list while both run: a job held up by the quota says so.
    const waits: QuotaWaitInfo[] = [];
    const statusWaits: QuotaWaitInfo[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const job of await h.caller.backfill.recent({ limit: 5 })) {
          if (job.waiting_for_quota) waits.push(job.waiting_for_quota);
        }
        const status = await h.caller.backfill.status({ jobId: history.job_id });
        if (status.waiting_for_quota) statusWaits.push(status.waiting_for_quota);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const refresh = await finishedJob(db, refreshId);
    const done = await finishedJob(db, history.job_id, 120_000);
    watching = false;
    await watcher;

    expect(refresh.status).toBe('completed');
    expect(done.status).toBe('completed');
    expect(done.details.map((d) => d.status)).toEqual(HISTORY.map(() => 'completed'));
    expect(done.total_records_inserted).toBe(HISTORY.length * 365);
    // First by the clock of the database, and on the wire: the refresh's request came before the history's last.
    expect(Date.parse(refresh.completed_at ?? '')).toBeLessThan(Date.parse(done.completed_at ?? ''));
    const wire = polygon.requests.slice(1);
    const refreshAt = wire.findIndex((r) => r.ticker === 'X:BTCUSD');
    const historyAt = wire.map((r) => r.ticker !== 'X:BTCUSD').lastIndexOf(true);
    expect(refreshAt).toBeGreaterThanOrEqual(0);
    expect(refreshAt).toBeLessThan(historyAt);
    // Of 8 history units at most the one already running and one history turn went before it.
    expect(wire.slice(0, refreshAt).length).toBeLessThanOrEqual(3);

    expect(waits.length).toBeGreaterThan(0);
    expect(statusWaits.length).toBeGreaterThan(0);
    for (const w of [...waits, ...statusWaits]) {
      expect(w.provider).toBe('polygon');
      expect(Date.parse(w.until)).toBeGreaterThan(Date.parse(w.since));
      // A wait is at most a window of the quota (plus its margin) from when it was seen to start.
      expect(Date.parse(w.until) - Date.parse(w.since)).toBeLessThanOrEqual(3 * 1500);
    }
    // Nothing stays "waiting" once the jobs are done.
    const after = await h.caller.backfill.recent({ limit: 5 });
    expect(after.map((j: BackfillJob) => j.waiting_for_quota ?? null)).toEqual(after.map(() => null));
  });

  it('a long history unit holding the only slot hands it to the refresh at a page, and resumes where it stopped', async () => {
    const db = h.running.app.database.db;
    const before = polygon.requests.length;
    // One unit, many pages: half a year of 1h bars is 6 windows of 50,000 minutes, 2 pages of 500 bars each.
    const history = await h.caller.backfill.create({
      symbols: ['BNB-USD'],
      timeframes: ['1h'],
      start_date: '2023-01-01',
      end_date: '2023-06-30',
    });
    // Wait until the long unit has written pages, then queue a refresh of the tracked series.
    await eventually(
      async () =>
        (await h.caller.backfill.status({ jobId: history.job_id })).total_records_inserted > 0 ? true : null,
      60_000,
      'the history unit to write its first page',
    );
    now = T1 + 15 * MIN;
    const tick = await new RefreshScheduler(h.running.app, clock).tick();
    expect(tick.units).toBe(1);
    const refresh = await finishedJob(db, tick.job?.job_id ?? '');
    const done = await finishedJob(db, history.job_id, 120_000);
    expect([refresh.status, done.status]).toEqual(['completed', 'completed']);
    expect(done.total_records_inserted).toBe(181 * 24);
    const wire = polygon.requests.slice(before);
    const refreshAt = wire.findIndex((r) => r.ticker === 'X:BTCUSD');
    // The refresh went out while the history unit still had requests to make.
    expect(refreshAt).toBeGreaterThan(0);
    expect(wire.slice(refreshAt + 1).some((r) => r.ticker === 'X:BNBUSD')).toBe(true);
    // Resumed from its cursor: no window asked twice.
    const windows = wire.filter((r) => r.ticker === 'X:BNBUSD' && r.page === 0).map((r) => r.url.pathname);
    expect(new Set(windows).size).toBe(windows.length);
  });
});
