import { isoDate } from '@candlebase/contracts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '@candlebase/db/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { refreshTick } from '../scheduler/tick';
import { backfillRequest, finishedJob } from '../testing/backfill-checks';
import { killAllChildren, startWorker } from '../testing/child-process';
import { type FakePolygon, startFakePolygon } from '../testing/fake-polygon';
import { createBackfill } from './service';

// The tick's clock: Tuesday 2024-03-12 10:35 UTC, a slot after the seeded day's bars.
const NOW = Date.parse('2024-03-12T10:35:00Z');
const HISTORY = ['ETH', 'SOL', 'ADA', 'XRP', 'DOT', 'LTC', 'AVAX', 'LINK', 'ATOM', 'NEAR', 'UNI', 'AAVE'].map(
  (s) => `${s}-USD`,
);
// One quota for every process: two requests per 1.5 s.
const QUOTA = { POLYGON_REQUESTS_PER_MINUTE: '2', POLYGON_QUOTA_WINDOW_MS: '1500' };

describe.runIf(postgresAvailable())('freshness first across worker processes on Postgres', () => {
  let polygon: FakePolygon;
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    polygon = await startFakePolygon();
  });
  afterAll(async () => polygon?.close());
  afterEach(async () => {
    await killAllChildren();
    await db?.drop();
  });

  it('two workers sharing the quota run a scheduled refresh before a long history job, and finish both', {
    timeout: 180_000,
  }, async () => {
    db = await createTestDatabase('postgres');
    const { database } = db;
    const env = { ...polygon.serverEnv(), ...QUOTA };
    await Promise.all([startWorker(db.url ?? '', env), startWorker(db.url ?? '', env)]);

    const seed = await createBackfill(
      database,
      backfillRequest({ symbols: ['BTC-USD'], timeframes: ['5m'], start_date: '2024-03-11', end_date: '2024-03-11' }),
      { provider: 'polygon' },
    );
    expect((await finishedJob(database.db, seed.job_id)).status).toBe('completed');
    // Both jobs are queued before the workers come back, so the order is the claim's alone and not
    // how long the tick took on a loaded machine (oldest-first would send the refresh last).
    await killAllChildren();
    const before = polygon.requests.length;

    const history = await createBackfill(
      database,
      backfillRequest({ symbols: HISTORY, timeframes: ['1d'], start_date: '2023-01-01', end_date: '2023-12-31' }),
      { provider: 'polygon' },
    );
    const tick = await refreshTick(database, {
      rule: () => 'polygon',
      timing: { intradayMinutes: 15, dailyHourUtc: 22 },
      runner: 'test',
      now: NOW,
    });
    expect(tick.units).toBe(1);
    expect(tick.job?.date_range.end).toBe(isoDate(new Date(NOW)));
    await Promise.all([startWorker(db.url ?? '', env), startWorker(db.url ?? '', env)]);
    const refresh = await finishedJob(database.db, tick.job?.job_id ?? '', 90_000);
    const done = await finishedJob(database.db, history.job_id, 120_000);

    expect([refresh.status, done.status]).toEqual(['completed', 'completed']);
    expect(done.total_records_inserted).toBe(HISTORY.length * 365);
    expect(Date.parse(refresh.completed_at ?? '')).toBeLessThan(Date.parse(done.completed_at ?? ''));
    const wire = polygon.requests.slice(before);
    const refreshAt = wire.findIndex((r) => r.ticker === 'X:BTCUSD');
    // Four slots, both jobs queued: the refresh is among the first claims (oldest first: after all 12).
    expect(refreshAt).toBeGreaterThanOrEqual(0);
    expect(refreshAt).toBeLessThanOrEqual(4);
    expect(wire.filter((r) => r.ticker !== 'X:BTCUSD').length).toBeGreaterThanOrEqual(HISTORY.length);
  });
});
