import { createTestDatabase, postgresAvailable, type TestDatabase } from '@candlebase/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackfill } from '../backfill/service';
import { backfillRequest, finishedJob, unitRows } from '../testing/backfill-checks';
import { killAllChildren, startWorker } from '../testing/child-process';
import { type FakePolygon, startFakePolygon } from '../testing/fake-polygon';

/**
 * Three `pnpm worker` processes on one Postgres database and one Polygon key, against one fake
 * Polygon. The key's quota is shortened to 5 requests per 2.5 s (POLYGON_QUOTA_WINDOW_MS) so a run
 * spans several windows in seconds. 6 crypto pairs of 5m bars over 45 days: 12,960 bars a unit,
 * two request windows (50,000 minutes each), three 5,000-bar pages: 18 requests in all.
 */
const JOB = backfillRequest({
  symbols: ['BTC-USD', 'ETH-USD', 'SOL-USD', 'ADA-USD', 'XRP-USD', 'DOGE-USD'],
  timeframes: ['5m'],
  start_date: '2024-01-01',
  end_date: '2024-02-14',
});
const WINDOW_MS = 2500;
const BUDGET = 5;
/** Loopback trips differ on a busy machine: a request may arrive this much sooner after its take than another. */
const TRIP_SLACK_MS = 250;

describe.runIf(postgresAvailable())('one Polygon quota shared by every worker process', () => {
  let polygon: FakePolygon | undefined;
  let db: TestDatabase | undefined;

  afterEach(async () => {
    await killAllChildren();
    await polygon?.close();
    await db?.drop();
    polygon = undefined;
    db = undefined;
  });

  async function threeWorkers(url: string, fake: FakePolygon, env: Record<string, string>) {
    const workerEnv = { ...fake.serverEnv(), POLYGON_QUOTA_WINDOW_MS: String(WINDOW_MS), ...env };
    return Promise.all([startWorker(url, workerEnv), startWorker(url, workerEnv), startWorker(url, workerEnv)]);
  }

  it('three workers never send more than the budget in any window', { timeout: 180_000 }, async () => {
    polygon = await startFakePolygon({ pageSize: 5000 });
    db = await createTestDatabase('postgres');
    const workers = await threeWorkers(db.url ?? '', polygon, { POLYGON_REQUESTS_PER_MINUTE: String(BUDGET) });
    const { job_id } = await createBackfill(db.database, JOB, { provider: 'polygon' });
    const s = await finishedJob(db.database.db, job_id, 120_000);
    expect(s.status).toBe('completed');
    expect(s.total_records_inserted).toBe(JOB.symbols.length * 45 * 288);

    const arrivals = polygon.requests.map((r) => r.at).sort((a, b) => a - b);
    expect(arrivals).toHaveLength(JOB.symbols.length * 3);
    // Any BUDGET + 1 consecutive requests span at least a window: no window saw more than BUDGET. No
    // slack is needed: a spend counts from its answer, and the fake saw each request before answering.
    const tightest = Math.min(...arrivals.slice(BUDGET).map((t, i) => t - (arrivals[i] ?? Number.NEGATIVE_INFINITY)));
    expect(tightest).toBeGreaterThanOrEqual(WINDOW_MS);
    // And the budget was used, not merely avoided: 18 requests at 5 a window take more than 3 windows.
    expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(3 * WINDOW_MS - TRIP_SLACK_MS);
    const units = await unitRows(db.database.db, job_id);
    const busy = new Set(units.map((u) => u.worker_id));
    expect(busy.size).toBeGreaterThanOrEqual(2);
    expect(workers.map((w) => w.workerId).filter((id) => busy.has(id)).length).toBe(busy.size);
    console.log(
      `shared quota: ${arrivals.length} requests in ${(arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)} ms, ` +
        `tightest ${BUDGET + 1} in ${tightest} ms, units run by ${busy.size} of 3 workers`,
    );
  });

  it('a 429 with Retry-After pauses every process, not just the one that got it', { timeout: 180_000 }, async () => {
    let pausedAt: number | undefined;
    polygon = await startFakePolygon({
      pageSize: 5000,
      // 100 ms a page keeps every worker's two slots busy fetching when the 429 lands.
      latencyMs: 100,
      fault: (req) => {
        if (req.index !== 6) return undefined;
        pausedAt = req.at;
        return {
          status: 429,
          json: { status: 'ERROR', error: 'You have exceeded the maximum requests per minute' },
          headers: { 'retry-after': '2' },
        };
      },
    });
    db = await createTestDatabase('postgres');
    await threeWorkers(db.url ?? '', polygon, { POLYGON_REQUESTS_PER_MINUTE: '1000', WORKER_CONCURRENCY: '2' });
    const { job_id } = await createBackfill(db.database, JOB, { provider: 'polygon' });
    const s = await finishedJob(db.database.db, job_id, 120_000);
    expect(s.status).toBe('completed');
    expect(polygon.faults.get('429')).toBe(1);
    const at = pausedAt ?? Number.NaN;
    // Requests already on their way when the 429 was answered may still land just after it; then nothing
    // from any of the three processes until Retry-After has passed.
    const during = polygon.requests.filter((r) => r.at > at + 400 && r.at < at + 2000 - TRIP_SLACK_MS);
    expect(during.map((r) => r.at - at)).toEqual([]);
    const after = polygon.requests.filter((r) => r.at >= at + 2000 - TRIP_SLACK_MS);
    expect(after.length).toBeGreaterThan(0);
  });
});
