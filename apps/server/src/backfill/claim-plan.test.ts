import { queryRows } from '@candlebase/db';
import { createTestDatabase, type TestDatabase, testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClaimTurn, nextUnit } from './claim';

// A realistic queue: a history job of 40,000 units (100 symbols x a few timeframes x gap ranges), some running, and a refresh.
const HISTORY_UNITS = 40_000;
const RUNNING = 200;
const REFRESH_UNITS = 50;

describe.each(testEngines())(
  'the claim plan at %i pending units on %s'.replace('%i', String(HISTORY_UNITS)),
  (engine) => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(engine);
      const { db } = t.database;
      for (const [origin, units, priority] of [
        ['manual', HISTORY_UNITS, 1],
        ['scheduled', REFRESH_UNITS, 0],
      ] as const) {
        await db.execute(sql`
        with job as (
          insert into backfill_jobs (symbols, start_date, end_date, timeframes, provider, origin)
          values (array['S'], '2020-01-01', '2024-12-31', array['1h'], 'polygon', ${origin}) returning id)
        insert into backfill_job_progress (job_id, symbol, timeframe, range_start, range_end, priority)
        select job.id, 'S' || (i % 100), '1h', timestamptz '2020-01-01' + make_interval(hours => i), timestamptz '2020-01-01' + make_interval(hours => i + 1), ${priority}
        from job, generate_series(1, ${units}) as i`);
      }
      // The oldest history units are running under live leases: a claim walks past them.
      await db.execute(sql`update backfill_job_progress set status = 'running', lease_expires_at = now() + interval '1 minute'
      where id in (select id from backfill_job_progress where priority = 1 order by id limit ${RUNNING})`);
      await db.execute(sql`analyze backfill_job_progress`);
    }, 120_000);
    afterAll(async () => t?.drop());

    it.each(['refresh', 'history'] as ClaimTurn[])('a %s turn walks its index in order, with no sort', async (turn) => {
      const rows = await queryRows<{ 'QUERY PLAN': unknown }>(
        t.database.db,
        sql`explain (format json) ${nextUnit(turn)}`,
      );
      const text = JSON.stringify(rows[0]?.['QUERY PLAN']);
      const index =
        turn === 'history' ? 'backfill_job_progress_history_turn_idx' : 'backfill_job_progress_claim_order_idx';
      expect(text).toContain(`"Index Name":"${index}"`);
      expect(text).not.toContain('"Node Type":"Sort"');
      expect(text).not.toContain('"Seq Scan"');
    });
  },
);
