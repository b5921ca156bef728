import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import { createSyntheticProvider, type MarketDataProvider } from '@candlebase/providers';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { runChecks } from './checks';

describe.each(testEngines())('system.checks on %s', (engine) => {
  let h: Harness;
  // No worker: a unit left running with an expired lease stays that way, as if its worker died.
  beforeAll(async () => {
    h = await startHarness(engine, { env: { WORKER_ENABLED: 'false' } });
  });
  afterAll(async () => h?.close());

  const byName = async () => {
    const result = await h.caller.system.checks();
    return { result, get: (name: string) => result.checks.find((c) => c.name === name) };
  };

  it('passes every check on a healthy, empty installation', async () => {
    const { result, get } = await byName();
    expect(result.checks.map((c) => c.name)).toEqual([
      'Database reachable',
      'Migrations current',
      'OHLC sanity',
      'Gaps',
      'Unrecorded splits',
      'Timeframes agree',
      'Stuck units',
      'Provider reachable',
    ]);
    expect(result.ok).toBe(true);
    expect(get('Migrations current')?.details).toMatch(/^(\d+) of \1 applied \(schema at \d{4}_\w+\)$/);
    expect(get('Provider reachable')?.details).toMatch(/^synthetic \(demo data\) answered in \d+ ms$/);
    expect(Number.isNaN(Date.parse(result.ran_at))).toBe(false);
  });

  it('flags a unit running past its lease, and a migration the database lacks', async () => {
    const created = await h.caller.backfill.create({
      symbols: ['AAPL'],
      timeframes: ['1d'],
      start_date: '2024-01-02',
      end_date: '2024-01-05',
    });
    const db = h.running.app.database.db;
    await db.execute(sql`update backfill_job_progress set status = 'running', lease_expires_at = now() - interval '1 minute'
      where job_id = ${created.job_id}`);
    const before = (await byName()).get('Stuck units');
    expect(before).toMatchObject({
      ok: false,
      details: expect.stringMatching(/^1 unit running with an expired lease \(e\.g\. AAPL 1d\)/),
    });

    await db.execute(
      sql`delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations)`,
    );
    const { result, get } = await byName();
    expect(result.ok).toBe(false);
    expect(get('Migrations current')).toMatchObject({
      ok: false,
      details: expect.stringContaining('restart the server'),
    });
    expect(get('Database reachable')?.ok).toBe(true);
  });

  it.runIf(engine === 'postgres')(
    'sees a unit whose page transaction stalls behind a lock, however fresh its lease',
    async () => {
      const created = await h.caller.backfill.create({
        symbols: ['FROZE'],
        timeframes: ['1d'],
        start_date: '2024-01-02',
        end_date: '2024-01-05',
      });
      const db = h.running.app.database.db;
      const [unit] = await queryRows<{ id: number }>(
        db,
        sql`update backfill_job_progress set status = 'running', attempts = 1, lease_expires_at = now() + interval '1 hour'
          where job_id = ${created.job_id} returning id`,
      );
      // A worker's page transaction, named as workers name theirs, stuck behind another's lock.
      let release = () => {};
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const holder = db.transaction(async (tx) => {
        await tx.execute(sql`update backfill_job_progress set records_fetched = 0 where id = ${unit?.id}`);
        await gate;
      });
      await new Promise((r) => setTimeout(r, 200));
      const waiter = db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('application_name', ${`candlebase-unit:${unit?.id}:1`}, true)`);
        await tx.execute(sql`update backfill_job_progress set records_fetched = 1 where id = ${unit?.id}`);
      });
      try {
        await new Promise((r) => setTimeout(r, 1200));
        const result = await runChecks(h.running.app.database, createSyntheticProvider(), {
          stalledAfterMs: 500,
          now: h.running.app.clock(),
        });
        const stuck = result.checks.find((c) => c.name === 'Stuck units');
        expect(stuck?.ok).toBe(false);
        expect(stuck?.details).toMatch(
          /stalled page transactions: FROZE 1d waiting on a lock for \d+ s \(a frozen worker\?\)$/,
        );
      } finally {
        release();
        await Promise.all([holder, waiter]);
        await db.execute(sql`update backfill_job_progress set status = 'completed' where job_id = ${created.job_id}`);
      }
    },
  );

  it('reports a provider that does not answer in time, and one that fails', async () => {
    const base = createSyntheticProvider();
    const silent: MarketDataProvider = { ...base, name: 'silent', ping: () => new Promise<void>(() => {}) };
    const broken: MarketDataProvider = {
      ...base,
      name: 'broken',
      ping: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')),
    };
    const database = h.running.app.database;
    const slow = await runChecks(database, silent, { providerTimeoutMs: 200, now: h.running.app.clock() });
    expect(slow.checks.at(-1)).toEqual({
      name: 'Provider reachable',
      ok: false,
      details: 'silent did not answer within 0.2 s',
    });
    const down = await runChecks(database, broken, { now: h.running.app.clock() });
    expect(down.checks.at(-1)).toEqual({
      name: 'Provider reachable',
      ok: false,
      details: 'connect ECONNREFUSED 127.0.0.1:9',
    });
  });
});
