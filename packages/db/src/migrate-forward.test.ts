import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from './client';
import { migrate, migrationVersion } from './migrate';
import { createTestDatabase, type OlderMigrations, olderMigrations, testEngines } from './testing';

/** The newest migration of the release before candle revisions (main at the time). */
const RELEASED = '0002_failed_units_index';

describe.each(testEngines())('a database of the previous release migrates forward on %s', (engine) => {
  let released: OlderMigrations;
  beforeAll(() => {
    released = olderMigrations({ through: RELEASED });
  });
  afterAll(() => released.remove());

  it('keeps its candles, jobs and units, and defaults the revision columns', async () => {
    const t = await createTestDatabase(engine, { migrationsFolder: released.folder });
    try {
      const db = t.database.db;
      expect(await migrationVersion(t.database)).toBe(RELEASED);
      await db.execute(sql`insert into symbols (symbol, asset_class) values ('AAPL', 'equity')`);
      await db.execute(sql`
        insert into candles (symbol, timeframe, ts, open, high, low, close, volume, vwap, trades, source)
        values ('AAPL', '1d', '2024-03-11T00:00:00Z', 172.94, 174.38, 172.05, 172.75, 60139473, 173.2, 700000, 'polygon'),
               ('AAPL', '1d', '2024-03-12T00:00:00Z', 173.15, 174.03, 171.01, 173.23, 59825372, null, null, 'polygon')`);
      const jobs = await queryRows<{ id: string }>(
        db,
        sql`insert into backfill_jobs (symbols, start_date, end_date, timeframes, provider, status, progress_pct,
              symbols_completed, symbols_total, total_records_inserted)
            values (array['AAPL'], '2024-03-11', '2024-03-12', array['1d'], 'polygon', 'completed', 100, 1, 1, 2)
            returning id`,
      );
      const jobId = jobs[0]?.id ?? '';
      await db.execute(sql`
        insert into backfill_job_progress (job_id, symbol, timeframe, range_start, range_end, status,
          records_fetched, records_inserted, attempts)
        values (${jobId}, 'AAPL', '1d', '2024-03-11T00:00:00Z', '2024-03-13T00:00:00Z', 'completed', 2, 2, 1)`);

      const result = await migrate(t.database);
      expect(result.applied).toBeGreaterThan(0);
      expect(await migrationVersion(t.database)).toBe(result.version);

      const candles = await queryRows<Record<string, unknown>>(
        db,
        sql`select symbol, timeframe, (extract(epoch from ts) * 1000)::float8 as ts, open, high, low, close, volume,
                   vwap, trades, source, fetched_at, revised
            from candles order by ts`,
      );
      expect(candles.map((c) => ({ ...c, ts: Number(c.ts) }))).toEqual([
        {
          symbol: 'AAPL',
          timeframe: '1d',
          ts: Date.UTC(2024, 2, 11),
          open: 172.94,
          high: 174.38,
          low: 172.05,
          close: 172.75,
          volume: 60139473,
          vwap: 173.2,
          trades: 700000,
          source: 'polygon',
          fetched_at: null,
          revised: false,
        },
        {
          symbol: 'AAPL',
          timeframe: '1d',
          ts: Date.UTC(2024, 2, 12),
          open: 173.15,
          high: 174.03,
          low: 171.01,
          close: 173.23,
          volume: 59825372,
          vwap: null,
          trades: null,
          source: 'polygon',
          fetched_at: null,
          revised: false,
        },
      ]);
      const job = await queryRows<Record<string, unknown>>(
        db,
        sql`select status, total_records_inserted::float8 as inserted, total_records_updated::float8 as updated
            from backfill_jobs where id = ${jobId}`,
      );
      expect(job.map((j) => ({ ...j, inserted: Number(j.inserted), updated: Number(j.updated) }))).toEqual([
        { status: 'completed', inserted: 2, updated: 0 },
      ]);
      const units = await queryRows<Record<string, unknown>>(
        db,
        sql`select status, records_fetched::float8 as fetched, records_inserted::float8 as inserted,
                   records_updated::float8 as updated
            from backfill_job_progress where job_id = ${jobId}`,
      );
      expect(
        units.map((u) => ({
          ...u,
          fetched: Number(u.fetched),
          inserted: Number(u.inserted),
          updated: Number(u.updated),
        })),
      ).toEqual([{ status: 'completed', fetched: 2, inserted: 2, updated: 0 }]);
      // The new columns are NOT NULL with their defaults, so later writes need not name them.
      const notNull = await queryRows<{ column_name: string; is_nullable: string; column_default: string | null }>(
        db,
        sql`select column_name, is_nullable, column_default from information_schema.columns
            where (table_name, column_name) in (('candles', 'revised'), ('backfill_jobs', 'total_records_updated'),
                                                ('backfill_job_progress', 'records_updated'))
            order by column_name`,
      );
      expect(notNull.map((c) => [c.column_name, c.is_nullable, c.column_default])).toEqual([
        ['records_updated', 'NO', '0'],
        ['revised', 'NO', 'false'],
        ['total_records_updated', 'NO', '0'],
      ]);
    } finally {
      await t.drop();
    }
  });
});
