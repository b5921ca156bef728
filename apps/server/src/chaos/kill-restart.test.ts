import { queryRows } from '@candlebase/db';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { backfillRequest, candleDigest, finishedJob, unitRows, unitStatusCounts } from '../testing/backfill-checks';
import { type Child, killAllChildren, startServer } from '../testing/child-process';
import type { FakePolygon } from '../testing/fake-polygon';
import { eventually } from '../testing/harness';
import { pacedPolygon } from '../testing/paced-polygon';
import { seededRandom } from '../testing/random';

/**
 * 20 crypto pairs x 90 days of 5-minute bars (25,920 per unit, 6 provider pages each), one unit
 * at a time, from a fake Polygon that takes 100 ms per page: at least 0.6 s a unit and 12 s in all
 * on any machine, enough work left for 10 kills (each lets the job run at most ~0.7 s).
 */
const SYMBOLS = Array.from({ length: 20 }, (_, i) => `K${String.fromCharCode(65 + i)}-USD`);
const JOB = backfillRequest({ symbols: SYMBOLS, timeframes: ['5m'], start_date: '2024-01-01', end_date: '2024-03-30' });
const KILLS = 10;

describe.runIf(postgresAvailable())('chaos: the API server with its worker, SIGKILLed mid-job', () => {
  let db: TestDatabase | undefined;
  let server: Child | undefined;
  let polygon: FakePolygon | undefined;
  afterAll(async () => {
    await killAllChildren();
    await polygon?.close();
    await db?.drop();
  });

  it(`survives ${KILLS} SIGKILLs at random moments; the candles equal an uninterrupted run`, {
    timeout: 300_000,
  }, async () => {
    const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    const paced = await pacedPolygon(JOB, 100);
    polygon = paced.polygon;
    const { reference } = paced;
    const env = { WORKER_CONCURRENCY: '1', ...polygon.serverEnv() };

    db = await createTestDatabase('postgres');
    const exec = db.database.db;
    const url = db.url ?? '';
    let running = await startServer(url, env);
    server = running.child;
    const res = await fetch(`${running.url}/api/v1/backfill`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(JOB),
    });
    expect(res.status).toBe(200);
    const { job_id } = (await res.json()) as { job_id: string };

    const lastEventId = async () =>
      Number(
        (await queryRows<{ id: string }>(exec, sql`select coalesce(max(id), 0) as id from backfill_job_events`))[0]
          ?.id ?? 0,
      );
    /**
     * Each claim made since `mark` has stored a page since: so every attempt a kill ends has made
     * progress, and no unit runs out of attempts however the kills fall.
     */
    const everyClaimProgressed = async (mark: number) => {
      const rows = await queryRows<{ started: string | null; progressed: string | null }>(
        exec,
        sql`select max(id) filter (where kind = 'unit_started') as started,
                   max(id) filter (where kind in ('unit_progress', 'unit_completed')) as progressed
            from backfill_job_events where job_id = ${job_id} and id > ${mark} group by symbol, timeframe`,
      );
      const claims = rows.filter((r) => r.started !== null);
      return claims.length > 0 && claims.every((r) => Number(r.progressed ?? 0) > Number(r.started));
    };

    let kills = 0;
    let orphaned = 0;
    let storedAtLastKill = 0;
    let mark = 0;
    const t0 = Date.now();
    for (;;) {
      // A random moment: a random wait, then the first instant every claim of this run has stored a page.
      await new Promise((r) => setTimeout(r, Math.floor(random() * 500)));
      await eventually(() => everyClaimProgressed(mark), 60_000, `progress after restart ${kills}`);
      await server.kill('SIGKILL');
      kills++;
      const units = await unitStatusCounts(exec, job_id);
      orphaned += units.running ?? 0;
      storedAtLastKill = (await candleDigest(exec)).count;
      const left = (units.pending ?? 0) + (units.running ?? 0);
      expect(left, `the job ended after ${kills} of ${KILLS} kills: make it bigger`).toBeGreaterThan(0);
      // Restarted after every kill, the last one included: that server finishes the job.
      mark = await lastEventId();
      running = await startServer(url, env);
      server = running.child;
      if (kills === KILLS) break;
    }
    const s = await finishedJob(exec, job_id, 120_000);
    expect(s.status).toBe('completed');
    const units = await unitRows(exec, job_id);
    expect(units.filter((u) => u.status !== 'completed')).toEqual([]);
    const digest = await candleDigest(exec);
    expect(digest).toEqual(reference);
    expect(units.reduce((n, u) => n + u.records_inserted, 0)).toBe(digest.count);
    expect(s.total_records_inserted).toBe(digest.count);
    const rest = (await (await fetch(`${running.url}/api/v1/backfill/status/${job_id}`)).json()) as {
      status: string;
      total_records_inserted: number;
    };
    expect(rest).toMatchObject({ status: 'completed', total_records_inserted: reference.count });
    const attempts = units.map((u) => u.attempts);
    console.log(
      `chaos: survived ${kills} SIGKILLs (seed ${seed}; CHAOS_SEED=${seed} replays it) in ${Math.round((Date.now() - t0) / 1000)} s; ` +
        `${storedAtLastKill} of ${reference.count} candles stored at the last kill; ${orphaned} running claims orphaned, ${attempts.reduce((a, b) => a + b, 0) - units.length} extra claims, ` +
        `at most ${Math.max(...attempts)} attempts on a unit; ${digest.count} candles equal the uninterrupted run`,
    );
  });
});
