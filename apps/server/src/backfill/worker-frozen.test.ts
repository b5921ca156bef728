import { queryRows } from '@candlebase/db';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
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
import { createBackfill } from './service';
import { timeoutsForLease } from './tx-timeouts';

const JOB = backfillRequest({
  symbols: ['BTC-USD', 'ETH-USD', 'SOL-USD', 'ADA-USD', 'XRP-USD', 'DOGE-USD'],
  timeframes: ['5m'],
  start_date: '2024-01-01',
  end_date: '2024-02-14',
});
const BARS_PER_UNIT = 45 * 288;
const LEASE_SECONDS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Backends of this database (other than the asker's) inside a transaction that has written something. */
async function writingTransactions(exec: TestDatabase['database']['db']): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    exec,
    sql`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and backend_xid is not null`,
  );
  return Number(rows[0]?.n ?? 0);
}

describe.runIf(postgresAvailable())('a worker frozen inside a page transaction', () => {
  let reference: CandleDigest;
  let polygon: FakePolygon | undefined;
  let db: TestDatabase | undefined;

  beforeAll(async () => {
    const paced = await pacedPolygon(JOB, 50);
    polygon = paced.polygon;
    reference = paced.reference;
  });
  afterAll(async () => polygon?.close());
  afterEach(async () => {
    await killAllChildren();
    await db?.drop();
  });

  it('does not stop the job: the takeover completes it exactly within a bound set by the lease', {
    timeout: 240_000,
  }, async () => {
    db = await createTestDatabase('postgres');
    const exec = db.database.db;
    const env = { ...polygon?.serverEnv(), WORKER_LEASE_SECONDS: String(LEASE_SECONDS) };
    const a = await startWorker(db.url ?? '', env);
    const { job_id } = await createBackfill(db.database, JOB, { provider: 'polygon' });
    await eventually(
      async () => (await unitRows(exec, job_id)).some((u) => u.status === 'running' && u.records_inserted > 0),
      60_000,
      'a unit midway',
    );

    // SIGSTOP A until it is caught holding an open, written-to transaction (a page's COPY, mostly).
    let tries = 0;
    for (;;) {
      tries++;
      process.kill(a.child.pid, 'SIGSTOP');
      await sleep(30);
      if ((await writingTransactions(exec)) > 0) break;
      process.kill(a.child.pid, 'SIGCONT');
      if (tries >= 500) throw new Error('never caught worker A inside a transaction');
      await sleep(5 + ((tries * 37) % 90));
    }
    const frozenAt = performance.now();
    const atFreeze = await unitRows(exec, job_id);
    expect(atFreeze.some((u) => u.status !== 'completed')).toBe(true);

    const b = await startWorker(db.url ?? '', env);
    const t = timeoutsForLease(LEASE_SECONDS);
    // The lease runs out, the frozen transaction is ended, and B does the rest: all while A stays stopped.
    // The slack is for a loaded CI machine: alone the takeover takes about 6 s.
    const bound = LEASE_SECONDS * 1000 + t.statementMs + t.idleMs + 90_000;
    const s = await finishedJob(exec, job_id, bound).catch(async (err: unknown) => {
      // What held the takeover up: each backend's state and wait, the units, and both workers' words
      // (so found: A frozen mid-statement held the job row, and B's claims timed out behind it).
      const activity = await queryRows(
        exec,
        sql`select pid, application_name, state, wait_event_type, wait_event, backend_xid is not null as wrote,
                   round(extract(epoch from now() - xact_start)) as tx_s, left(query, 120) as query
            from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
      );
      const units = await unitRows(exec, job_id);
      const story = `${String(err)}\nbackends: ${JSON.stringify(activity)}\nunits: ${JSON.stringify(units)}\nworker A:\n${a.child.output()}\nworker B:\n${b.child.output()}`;
      throw new Error(story);
    });
    const took = performance.now() - frozenAt;
    expect(s.status).toBe('completed');
    expect(await writingTransactions(exec)).toBe(0);

    // A wakes up to find its claims gone, says so, and writes nothing.
    process.kill(a.child.pid, 'SIGCONT');
    await a.child.waitFor(/lost its lease on/, 30_000);
    await sleep(500);

    const units = await unitRows(exec, job_id);
    expect(units.map((u) => u.status)).toEqual(units.map(() => 'completed'));
    const digest = await candleDigest(exec);
    expect(digest).toEqual(reference);
    expect(units.reduce((n, u) => n + u.records_inserted, 0)).toBe(digest.count);
    expect(units.every((u) => u.records_inserted === BARS_PER_UNIT)).toBe(true);
    expect((await finishedJob(exec, job_id)).total_records_inserted).toBe(digest.count);
    const taken = units.filter((u) => u.worker_id === b.workerId && u.attempts > 1);
    expect(taken.length).toBeGreaterThan(0);
    const events = await allEvents(exec, job_id);
    expect(events.filter((e) => e.kind === 'unit_completed')).toHaveLength(units.length);
    console.log(
      `frozen worker: caught inside a transaction after ${tries} tries; B finished the job ${Math.round(took)} ms after the freeze (bound ${bound} ms, lease ${LEASE_SECONDS} s); B took over ${taken.length} units`,
    );
  });
});
