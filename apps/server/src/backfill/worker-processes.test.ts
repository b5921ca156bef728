import { createTestDatabase, postgresAvailable, type TestDatabase } from '@candlebase/db/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  allEvents,
  backfillRequest,
  type CandleDigest,
  candleDigest,
  finishedJob,
  unitRows,
} from '../testing/backfill-checks';
import { killAllChildren, startWorker } from '../testing/child-process';
import type { FakePolygon } from '../testing/fake-polygon';
import { eventually } from '../testing/harness';
import { pacedPolygon } from '../testing/paced-polygon';
import { getStatus } from './job-status';
import { cancelBackfill, createBackfill } from './service';

/**
 * Worker processes sharing one Postgres database, killed and raced the hard way. 8 crypto pairs
 * of 5-minute bars over 45 days: 12,960 bars (3 provider pages) per unit, from a fake Polygon that
 * answers each page 100 ms late, so a unit takes at least 0.3 s and there is a midway to catch on
 * any machine.
 */
const JOB = backfillRequest({
  symbols: ['BTC-USD', 'ETH-USD', 'SOL-USD', 'ADA-USD', 'XRP-USD', 'DOGE-USD', 'DOT-USD', 'LTC-USD'],
  timeframes: ['5m'],
  start_date: '2024-01-01',
  end_date: '2024-02-14',
});
const BARS_PER_UNIT = 45 * 288;

describe.runIf(postgresAvailable())('worker processes on one Postgres database', () => {
  let reference: CandleDigest;
  let polygon: FakePolygon | undefined;
  let db: TestDatabase | undefined;

  beforeAll(async () => {
    const paced = await pacedPolygon(JOB, 100);
    polygon = paced.polygon;
    reference = paced.reference;
    expect(reference.count).toBe(JOB.symbols.length * BARS_PER_UNIT);
  });
  afterAll(async () => polygon?.close());

  afterEach(async () => {
    await killAllChildren();
    await db?.drop();
    db = undefined;
  });

  const worker = (url: string) => startWorker(url, polygon?.serverEnv());

  it('a worker SIGKILLed mid-job: another takes over, the candles equal an uninterrupted run', {
    timeout: 180_000,
  }, async () => {
    db = await createTestDatabase('postgres');
    const exec = db.database.db;
    const a = await worker(db.url ?? '');
    const { job_id } = await createBackfill(db.database, JOB, { provider: 'polygon' });

    // Kill while a unit is between pages (some of it stored, the rest not) and others are done.
    const atKill = await eventually(
      async () => {
        const units = await unitRows(exec, job_id);
        const done = units.filter((u) => u.status === 'completed').length;
        const midway = units.some((u) => u.status === 'running' && u.records_inserted > 0);
        return done >= 1 && done <= units.length - 3 && midway ? units : null;
      },
      60_000,
      'a unit midway and at least one completed',
    );
    await a.child.kill('SIGKILL');
    const orphans = (await unitRows(exec, job_id)).filter((u) => u.status === 'running');
    expect(orphans.length).toBeGreaterThan(0);
    expect(orphans.every((u) => u.worker_id === a.workerId)).toBe(true);
    const storedAtKill = (await candleDigest(exec)).count;
    expect(storedAtKill).toBeGreaterThan(0);
    expect(storedAtKill).toBeLessThan(reference.count);

    const b = await worker(db.url ?? '');
    const s = await finishedJob(exec, job_id, 90_000);
    expect(s.status).toBe('completed');
    const units = await unitRows(exec, job_id);
    expect(units.filter((u) => u.status !== 'completed')).toEqual([]);
    // The orphans were taken over by B once their lease ran out: a second claim each.
    for (const o of orphans) {
      const u = units.find((x) => x.id === o.id);
      expect(u).toMatchObject({ attempts: 2, worker_id: b.workerId, records_inserted: BARS_PER_UNIT });
    }
    // No double counting: every unit's records add up to the rows, to the job, to the reference.
    const digest = await candleDigest(exec);
    expect(digest).toEqual(reference);
    expect(units.reduce((n, u) => n + u.records_inserted, 0)).toBe(digest.count);
    expect(s.total_records_inserted).toBe(digest.count);
    expect(s.progress_pct).toBe(100);
    expect(s.symbols_completed).toBe(JOB.symbols.length);
    const events = await allEvents(exec, job_id);
    expect(events.at(-1)?.kind).toBe('job_completed');
    expect(events.filter((e) => e.kind === 'unit_completed')).toHaveLength(units.length);
    console.log(
      `crash: killed worker A with ${atKill.filter((u) => u.status === 'completed').length} units done and ` +
        `${orphans.length} running (${storedAtKill} of ${reference.count} candles stored); B finished the job`,
    );
  });

  it('two worker processes share a job: each unit runs once, both do work, the records add up', {
    timeout: 180_000,
  }, async () => {
    db = await createTestDatabase('postgres');
    const exec = db.database.db;
    const [a, b] = await Promise.all([worker(db.url ?? ''), worker(db.url ?? '')]);
    const { job_id } = await createBackfill(db.database, JOB, { provider: 'polygon' });
    const s = await finishedJob(exec, job_id, 90_000);
    expect(s.status).toBe('completed');

    const units = await unitRows(exec, job_id);
    expect(units.map((u) => [u.status, u.attempts])).toEqual(units.map(() => ['completed', 1]));
    const events = await allEvents(exec, job_id);
    const claims = new Map<number, { worker: unknown; started: number; ended: number }[]>();
    for (const u of units) {
      const label = (e: { symbol: string | null; timeframe: string | null }) =>
        e.symbol === u.symbol && e.timeframe === u.timeframe;
      const started = events.filter((e) => e.kind === 'unit_started' && label(e));
      const completed = events.filter((e) => e.kind === 'unit_completed' && label(e));
      expect(started).toHaveLength(1);
      expect(completed).toHaveLength(1);
      claims.set(
        u.id,
        started.map((e, i) => ({
          worker: e.data?.worker_id,
          started: Number(e.id),
          ended: Number(completed[i]?.id ?? Number.POSITIVE_INFINITY),
        })),
      );
      expect(started[0]?.data?.worker_id).toBe(u.worker_id);
    }
    const byWorker = (id: string) => units.filter((u) => u.worker_id === id).length;
    expect(byWorker(a.workerId)).toBeGreaterThan(0);
    expect(byWorker(b.workerId)).toBeGreaterThan(0);
    expect(byWorker(a.workerId) + byWorker(b.workerId)).toBe(units.length);
    // Each worker ran at most its concurrency (2) at once: replay the claims in event order.
    const edges = [...claims.values()]
      .flat()
      .flatMap((c) => [
        { at: c.started, worker: c.worker, delta: 1 },
        { at: c.ended, worker: c.worker, delta: -1 },
      ])
      .sort((x, y) => x.at - y.at);
    const running = new Map<unknown, number>();
    let most = 0;
    for (const e of edges) {
      running.set(e.worker, (running.get(e.worker) ?? 0) + e.delta);
      most = Math.max(most, ...running.values());
    }
    expect(most).toBeLessThanOrEqual(2);

    const digest = await candleDigest(exec);
    expect(digest).toEqual(reference);
    expect(units.reduce((n, u) => n + u.records_inserted, 0)).toBe(digest.count);
    expect(s.total_records_inserted).toBe(digest.count);
    console.log(`two workers: A ran ${byWorker(a.workerId)} units, B ${byWorker(b.workerId)}`);
  });

  it('a job cancelled while its only worker is dead ends cancelled once a worker returns', {
    timeout: 180_000,
  }, async () => {
    db = await createTestDatabase('postgres');
    const exec = db.database.db;
    const a = await worker(db.url ?? '');
    const { job_id } = await createBackfill(db.database, JOB, { provider: 'polygon' });
    await eventually(
      async () => (await unitRows(exec, job_id)).some((u) => u.status === 'running' && u.records_inserted > 0),
      60_000,
      'a unit midway',
    );
    await a.child.kill('SIGKILL');
    const cancelled = await cancelBackfill(db.database, job_id);
    expect(cancelled.cancel_requested_at).not.toBeNull();
    const countAtCancel = (await candleDigest(exec)).count;

    await worker(db.url ?? '');
    const s = await finishedJob(exec, job_id, 30_000);
    expect(s.status).toBe('cancelled');
    const units = await unitRows(exec, job_id);
    expect(units.filter((u) => !['completed', 'cancelled'].includes(u.status))).toEqual([]);
    // Nothing fetched after the cancel: the stored rows are exactly what the units counted.
    const digest = await candleDigest(exec);
    expect(digest.count).toBe(countAtCancel);
    expect(units.reduce((n, u) => n + u.records_inserted, 0)).toBe(digest.count);
    expect((await getStatus(exec, job_id, Date.now())).total_records_inserted).toBe(digest.count);
  });
});
