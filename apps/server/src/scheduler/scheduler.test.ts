import { createDatabase, type Database, queryRows } from '@candlebase/db';
import { iso } from '@candlebase/db/rows';
import { postgresAvailable, testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { type Running, start } from '../start';
import { eventually, type Harness, startHarness } from '../testing/harness';
import { RefreshScheduler } from './scheduler';
import { SCHEDULER_LOCK_KEY } from './tick';

const WEEK = { start_date: '2024-03-04', end_date: '2024-03-10' };
// Tuesday 2024-03-12 10:20 UTC: Monday's daily bars are final, today's 10:15 5m bar has just closed.
const NOW = Date.parse('2024-03-12T10:20:00Z');
const MIN = 60_000;
// These cases plan only the bars after each series' last candle; the trailing re-read has its own test (reread.test.ts).
const NO_REREAD = { REFRESH_REREAD_MINUTES: '0', REFRESH_REREAD_SESSIONS: '0' };

async function scheduledUnits(database: Database) {
  const rows = await queryRows<{ symbol: string; timeframe: string; rs: unknown; re: unknown }>(
    database.db,
    sql`select u.symbol, u.timeframe, u.range_start as rs, u.range_end as re from backfill_job_progress u
        join backfill_jobs j on j.id = u.job_id where j.origin = 'scheduled' order by u.symbol, u.timeframe, u.range_start`,
  );
  return rows.map((r) => `${r.symbol} ${r.timeframe} ${iso(r.rs)} -> ${iso(r.re)}`);
}

async function seed(h: Harness) {
  for (const req of [
    { symbols: ['BTC-USD'], timeframes: ['5m', '1h'] },
    { symbols: ['AAPL'], timeframes: ['1d'] },
  ]) {
    const created = await h.caller.backfill.create({ ...req, ...WEEK });
    await idle(h, created.job_id);
  }
}

async function idle(h: Harness, jobId: string) {
  await eventually(
    async () => (await h.caller.backfill.status({ jobId })).status === 'completed',
    60_000,
    `job ${jobId} to complete`,
  );
}

const FIRST_TICK = [
  'AAPL 1d 2024-03-09T00:00:00.000Z -> 2024-03-12T00:00:00.000Z',
  'BTC-USD 1h 2024-03-11T00:00:00.000Z -> 2024-03-12T10:00:00.000Z',
  'BTC-USD 5m 2024-03-11T00:00:00.000Z -> 2024-03-12T10:20:00.000Z',
];

describe.each(testEngines())('refresh scheduler on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine, { env: NO_REREAD });
    await seed(h);
  });
  afterAll(async () => h?.close());

  it('refreshes each series from its last candle to the last closed bar, once per slot', async () => {
    const scheduler = new RefreshScheduler(h.running.app);
    const first = await scheduler.tick(NOW);
    expect(first.ran).toEqual(['refresh-intraday', 'refresh-daily']);
    expect(await scheduledUnits(h.running.app.database)).toEqual(FIRST_TICK);
    const metrics = await h.caller.system.metrics();
    expect(metrics.scheduler.last_run).not.toBeNull();
    await idle(h, first.job?.job_id ?? '');

    // Same slot, a bar later: the slot is taken, nothing more is enqueued.
    const sameSlot = await scheduler.tick(NOW + 8 * MIN);
    expect(sameSlot).toMatchObject({ ran: [], job: null });
    // Next intraday slot: only the 5m series has a new closed bar; the daily slot is not due.
    const next = await scheduler.tick(NOW + 15 * MIN);
    expect(next.ran).toEqual(['refresh-intraday']);
    expect((await scheduledUnits(h.running.app.database)).slice(FIRST_TICK.length)).toEqual([
      'BTC-USD 5m 2024-03-12T10:20:00.000Z -> 2024-03-12T10:35:00.000Z',
    ]);
    await idle(h, next.job?.job_id ?? '');
  });

  it('skips a series that a job is still working on', async () => {
    const stopped = await startHarness(engine, { env: { WORKER_ENABLED: 'false' } });
    try {
      await stopped.caller.backfill.create({ symbols: ['ETH-USD'], timeframes: ['1h'], ...WEEK });
      const db = stopped.running.app.database.db;
      // Pretend the pending job's unit already stored data, so the series is a refresh candidate.
      await db.execute(sql`insert into series_coverage (symbol, timeframe, first_ts, last_ts, count)
        values ('ETH-USD', '1h', '2024-03-04T00:00:00Z', '2024-03-04T00:00:00Z', 1)`);
      const tick = await new RefreshScheduler(stopped.running.app).tick(NOW);
      expect(tick).toMatchObject({ job: null, units: 0 });
    } finally {
      await stopped.close();
    }
  });

  it('a tick finding the scheduler lock held does nothing', async () => {
    const database = h.running.app.database;
    const inner = await database.tryWithAdvisoryLock(SCHEDULER_LOCK_KEY, () =>
      new RefreshScheduler(h.running.app).tick(NOW + 60 * MIN),
    );
    expect(inner).toEqual({ acquired: true, value: { locked: true, ran: [], job: null, units: 0 } });
  });

  it('a started scheduler shows itself in system.metrics', async () => {
    const on = await startHarness(engine, { env: { SCHEDULER_ENABLED: 'true' } });
    try {
      const m = await eventually(
        async () => {
          const s = (await on.caller.system.metrics()).scheduler;
          return s.last_run ? s : null;
        },
        10_000,
        'the first tick',
      );
      expect(m.enabled).toBe(true);
      expect(Date.parse(m.next_run ?? '')).toBeGreaterThan(Date.now());
    } finally {
      await on.close();
    }
  });
});

describe.runIf(postgresAvailable())('refresh scheduler across processes on postgres', () => {
  let h: Harness;
  let other: Running;
  beforeAll(async () => {
    h = await startHarness('postgres', { env: NO_REREAD });
    const url = h.test.url ?? '';
    // A second server process on the same database: its own pool, worker and NOTIFY hub.
    other = await start(
      loadConfig({ DATABASE_URL: url, SEED_DEMO: 'false', SCHEDULER_ENABLED: 'false', PORT: '0', ...NO_REREAD }),
      {
        http: false,
        database: await createDatabase({ url }),
        log: pino({ level: 'silent' }),
      },
    );
    await seed(h);
  });
  afterAll(async () => {
    await other?.stop();
    await h?.close();
  });

  it('two servers ticking at once enqueue exactly one refresh unit per series', async () => {
    const a = new RefreshScheduler(h.running.app);
    const b = new RefreshScheduler(other.app);
    const results = await Promise.all([a.tick(NOW), b.tick(NOW), a.tick(NOW + 1000), b.tick(NOW + 1000)]);
    expect(results.filter((r) => r.job !== null)).toHaveLength(1);
    expect(await scheduledUnits(h.running.app.database)).toEqual(FIRST_TICK);
    await idle(h, results.find((r) => r.job)?.job?.job_id ?? '');

    // Seconds apart, one after the other, in the same slot: the slot marker alone stops the second.
    const late = await b.tick(NOW + 8 * MIN);
    expect(late).toMatchObject({ locked: false, ran: [], job: null });
    // Both report the cluster's last run, whichever process ran it.
    await a.tick(NOW + 9 * MIN);
    expect(h.running.app.scheduler.lastRun).not.toBeNull();
    expect(other.app.scheduler.lastRun?.getTime()).toBe(h.running.app.scheduler.lastRun?.getTime());
  });
});
