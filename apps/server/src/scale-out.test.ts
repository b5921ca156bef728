import { execFileSync } from 'node:child_process';
import type { AppRouter } from '@candlebase/api';
import type { ProgressMessage } from '@candlebase/contracts';
import { APPLICATION_NAMES, createDatabase, type Database, queryRows } from '@candlebase/db';
import {
  createTestDatabase,
  type ScaleOutTargets,
  scaleOutTargets,
  type TestDatabase,
  withDatabaseName,
} from '@candlebase/db/testing';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { sql } from 'drizzle-orm';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, backfillRequest, type CandleDigest, candleDigest, unitRows } from './testing/backfill-checks';
import { killAllChildren, startServer, startWorker } from './testing/child-process';
import type { FakePolygon } from './testing/fake-polygon';
import { eventually } from './testing/harness';
import { pacedPolygon } from './testing/paced-polygon';

type Client = ReturnType<typeof createTRPCClient<AppRouter>>;

/** 4 crypto pairs of 5-minute bars over 45 days: 3 pages of the paced fake per unit. */
const JOB = backfillRequest({
  symbols: ['BTC-USD', 'ETH-USD', 'SOL-USD', 'ADA-USD'],
  timeframes: ['5m'],
  start_date: '2024-01-01',
  end_date: '2024-02-14',
});

function clientOf(baseUrl: string): Client {
  const url = `${baseUrl}/trpc`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, EventSource }),
        false: httpLink({ url }),
      }),
    ],
  });
}

/** Every message of the job's progress stream over SSE, once the server ends it. */
function follow(client: Client, jobId: string, timeoutMs = 120_000): Promise<ProgressMessage[]> {
  return new Promise((resolve, reject) => {
    const got: ProgressMessage[] = [];
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error(`The progress stream did not end within ${timeoutMs} ms (${got.length} messages)`));
    }, timeoutMs);
    const sub = client.backfill.onProgress.subscribe(
      { jobId },
      {
        onData: (raw) => {
          const tracked = raw && typeof raw === 'object' && 'id' in raw && 'data' in raw;
          got.push((tracked ? raw.data : raw) as ProgressMessage);
        },
        onError: (err) => {
          clearTimeout(timer);
          reject(err);
        },
        onComplete: () => {
          clearTimeout(timer);
          resolve(got);
        },
      },
    );
  });
}

const targets = scaleOutTargets();

/**
 * Candlebase as it runs on several machines, all on this one: two API servers and two worker
 * processes whose DATABASE_URL is PgBouncer in transaction mode, with LISTEN and advisory locks
 * on a direct connection to the primary (DATABASE_LISTEN_URL) and reads from a streaming replica
 * (DATABASE_READ_URL). scripts/scale-out-setup.sh sets the replica and PgBouncer up.
 */
describe.runIf(targets !== null)('two API servers and two workers through PgBouncer, reading a replica', () => {
  // Collected even when skipped (no targets outside CI), so nothing here may assume them.
  const { replica: replicaBase, pgbouncer: bouncerBase }: ScaleOutTargets = targets ?? { replica: '', pgbouncer: '' };
  let db: TestDatabase;
  let polygon: FakePolygon | undefined;
  let reference: CandleDigest;
  /** The replica's own `postgres` database, for its activity and for pausing its replay. */
  let replica: Database | undefined;
  const onReplica = <T>(query: ReturnType<typeof sql>) => queryRows<T>((replica as Database).db, query);
  let name: string;
  let servers: { url: string }[] = [];
  let workers: { workerId: string }[] = [];

  beforeAll(async () => {
    const paced = await pacedPolygon(JOB, 100);
    polygon = paced.polygon;
    reference = paced.reference;
    db = await createTestDatabase('postgres');
    const direct = db.url ?? '';
    name = new URL(direct).pathname.slice(1);
    replica = await createDatabase({ url: withDatabaseName(replicaBase, 'postgres'), maxConnections: 1 });
    // The new database and its schema reach the replica by streaming: wait for both.
    await eventually(
      async () => {
        const [row] = await onReplica<{ ok: boolean }>(
          sql`select exists (select 1 from pg_database where datname = ${name}) as ok`,
        );
        return row?.ok;
      },
      30_000,
      'the test database on the replica',
    );
    const env = {
      ...polygon.serverEnv(),
      DATABASE_URL: withDatabaseName(bouncerBase, name),
      DATABASE_LISTEN_URL: direct,
      DATABASE_READ_URL: withDatabaseName(replicaBase, name),
    };
    // The API servers run no units: the two workers do all of them.
    [servers, workers] = await Promise.all([
      Promise.all([0, 1].map(() => startServer(env.DATABASE_URL, { ...env, WORKER_ENABLED: 'false' }))),
      Promise.all([0, 1].map(() => startWorker(env.DATABASE_URL, env))),
    ]);
  }, 120_000);

  afterAll(async () => {
    await replica?.db.execute(sql`select pg_wal_replay_resume()`).catch(() => {});
    await killAllChildren();
    await replica?.close();
    await polygon?.close();
    await db?.drop();
  });

  it('a backfill started on one server, followed on the other, completes exactly; the dashboard reads the replica', {
    timeout: 180_000,
  }, async () => {
    const [one, two] = servers.map((s) => clientOf(s.url));
    if (!one || !two) throw new Error('two servers expected');
    const created = await one.backfill.create.mutate({ ...JOB, provider: 'polygon' });
    // Straight after the write, from the primary, on the server that made it and on the other.
    expect((await one.backfill.status.query({ jobId: created.job_id })).symbols_total).toBe(JOB.symbols.length);
    const messages = await follow(two, created.job_id);

    const [snapshot, ...rest] = messages;
    expect(snapshot?.type).toBe('snapshot');
    const events = rest.map((m) => (m.type === 'event' ? m.event : null));
    const stored = await allEvents(db.database.db, created.job_id);
    // The whole log came over the other server's stream: nothing missed, nothing twice, in order.
    expect(events.map((e) => e?.id)).toEqual(stored.map((e) => e.id));
    expect(events.at(-1)?.kind).toBe('job_completed');

    const exec = db.database.db;
    const units = await unitRows(exec, created.job_id);
    expect(units.map((u) => [u.status, u.attempts])).toEqual(units.map(() => ['completed', 1]));
    for (const u of units) {
      const of = (kind: string) =>
        stored.filter((e) => e.kind === kind && e.symbol === u.symbol && e.timeframe === u.timeframe);
      expect(of('unit_started')).toHaveLength(1);
      expect(of('unit_completed')).toHaveLength(1);
    }
    const ids = new Set(workers.map((w) => w.workerId));
    expect(units.every((u) => u.worker_id !== null && ids.has(u.worker_id))).toBe(true);
    const digest = await candleDigest(exec);
    expect(digest).toEqual(reference);
    expect(units.reduce((n, u) => n + u.records_inserted, 0)).toBe(digest.count);
    const status = await two.backfill.status.query({ jobId: created.job_id });
    expect(status).toMatchObject({ status: 'completed', progress_pct: 100, total_records_inserted: digest.count });

    // The dashboard's reads, on the other server: from the replica, which has the job's data.
    const list = await two.symbols.list.query();
    expect(list.filter((s) => JOB.symbols.includes(s.symbol)).map((s) => s.coverage[0]?.count)).toEqual(
      JOB.symbols.map(() => digest.count / JOB.symbols.length),
    );
    // Each read connection's last statement, as the replica itself reports it.
    const readsOnReplica = () =>
      onReplica<{ query: string }>(
        sql`select query from pg_stat_activity where datname = ${name} and application_name = ${APPLICATION_NAMES.read}`,
      ).then((rows) => rows.map((r) => r.query));
    // The list itself is each server's feed, re-read from the primary when a NOTIFY says what
    // changed (a lagging replica could miss what was just announced); the per-request reads are
    // the replica's: coverage (from the summaries) and candles.
    await two.enrichment.coverage.query({ symbol: 'BTC-USD', timeframe: '5m' });
    expect((await readsOnReplica()).some((q) => /from (series_coverage|candle_days)/.test(q))).toBe(true);
    const page = await two.candles.list.query({ symbol: 'BTC-USD', timeframe: '5m', limit: 10 });
    expect(page.candles).toHaveLength(10);
    expect((await readsOnReplica()).some((q) => /from "?candles"?/i.test(q))).toBe(true);
    // LISTEN and the locks went to the primary directly, one listener per process; everything
    // else through PgBouncer, whose pool serves this database.
    const listeners = await queryRows<{ n: number }>(
      exec,
      sql`select count(*)::int as n from pg_stat_activity
          where datname = ${name} and application_name = ${APPLICATION_NAMES.listen} and query ilike 'listen%'`,
    );
    expect(listeners[0]?.n).toBeGreaterThanOrEqual(4);
    expect(pooledClients(bouncerBase, name)).toBeGreaterThanOrEqual(4);
    const health = await two.system.health.query();
    expect(health.database.roles).toEqual({ read_replica: true, direct_listen: true });
    expect(health.database.replica).toMatchObject({ ok: true, last_error: null });
    expect(health.database.replica?.lag_ms).toBeTypeOf('number');
    const byWorker = workers.map((w) => units.filter((u) => u.worker_id === w.workerId).length);
    console.log(
      `scale-out: ${events.length} events over the other server's SSE, units per worker ${byWorker.join('/')}, ` +
        `${digest.count} candles, replica lag ${health.database.replica?.lag_ms} ms after the job`,
    );
  });

  it('while the replica lags: others read it stale, a client reads its own writes, the list shows what was notified', {
    timeout: 60_000,
  }, async () => {
    const [one, two] = servers.map((s) => clientOf(s.url));
    if (!one || !two) throw new Error('two servers expected');
    await onReplica(sql`select pg_wal_replay_pause()`);
    try {
      // Written behind every server's back: no NOTIFY, no client of theirs wrote it.
      await db.database.db.execute(
        sql`insert into symbols (symbol, name, asset_class) values ('BEHIND', 'Behind', 'equity')`,
      );
      await expect(two.symbols.get.query({ symbol: 'BEHIND' })).rejects.toMatchObject({
        data: { code: 'NOT_FOUND' },
      });
      const health = await two.system.health.query();
      expect(health.database.replica?.lag_ms).toBeGreaterThan(0);

      // This client's own write, then its read on the same server: from the primary.
      await one.symbols.add.mutate({ symbol: 'OWN' });
      expect((await one.symbols.get.query({ symbol: 'OWN' })).symbol).toBe('OWN');
      // The other server heard of it (NOTIFY) and its list has it while the replica is paused:
      // the feed reads what was announced from the primary. BEHIND, announced by nobody, waits
      // for the feed's periodic full read.
      const listed = await eventually(async () => {
        const symbols = (await two.symbols.list.query()).map((s) => s.symbol);
        return symbols.includes('OWN') && symbols;
      }, 10_000);
      expect(listed).toContain('OWN');
    } finally {
      await onReplica(sql`select pg_wal_replay_resume()`);
    }
    // Caught up, the replica answers what it lacked.
    expect(
      await eventually(
        async () => (await two.symbols.get.query({ symbol: 'BEHIND' }).catch(() => null))?.symbol,
        10_000,
      ),
    ).toBe('BEHIND');
    const health = await eventually(async () => {
      const h = await two.system.health.query();
      return h.database.replica?.lag_ms === 0 && h;
    }, 10_000);
    expect(health.database.replica?.ok).toBe(true);
  });
});

/**
 * How many clients PgBouncer holds for `database` under our application name, from its admin
 * console (`SHOW CLIENTS`; simple protocol only, hence psql, which the setup script needs too).
 */
function pooledClients(bouncerUrl: string, database: string): number {
  const out = execFileSync('psql', [withDatabaseName(bouncerUrl, 'pgbouncer'), '-XAtc', 'show clients'], {
    encoding: 'utf8',
  });
  // type|user|database|state|addr|port|...|application_name
  return out
    .split('\n')
    .map((line) => line.split('|'))
    .filter((f) => f[2] === database && f.at(-1) === APPLICATION_NAMES.primary).length;
}
