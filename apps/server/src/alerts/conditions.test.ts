import type { Checks } from '@candlebase/contracts';
import { queryRows } from '@candlebase/db';
import { createTestDatabase, type TestDatabase, testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimUnit } from '../backfill/claim';
import { settleUnit } from '../backfill/run-unit';
import { createBackfill } from '../backfill/service';
import { loadConfig } from '../config';
import { evaluateStaleSeries, recordCheckResults } from './conditions';
import { recentAlerts } from './store';

const HOUR = 3_600_000;
/** Wednesday 2026-03-04 12:00 UTC; BTC-USD trades around the clock, so only the clock decides. */
const NOON = Date.UTC(2026, 2, 4, 12);

describe.each(testEngines())('alerts raised by the engine, the checks and the stale-series timer on %s', (engine) => {
  let t: TestDatabase;
  const db = () => t.database.db;
  const alertRows = () =>
    queryRows<{ kind: string; subject: string; open: boolean }>(
      db(),
      sql`select kind, subject, resolved_at is null as open from alerts order by id`,
    );

  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());
  beforeEach(async () => {
    await db().execute(sql`delete from alerts`);
    await db().execute(sql`delete from backfill_jobs`);
    await db().execute(sql`delete from series_coverage`);
    await db().execute(sql`delete from symbols`);
  });

  it('raises one alert when a job ends failed, in the transaction that fails it', async () => {
    const { job_id } = await createBackfill(
      t.database,
      { symbols: ['ZZFAIL'], start_date: '2024-01-01', end_date: '2024-01-02', timeframes: ['1h'], refetch: false },
      { provider: 'synthetic' },
    );
    for (let unit = await claimUnit(db(), 'w', 30); unit; unit = await claimUnit(db(), 'w', 30)) {
      expect(await alertRows()).toEqual([]);
      await settleUnit(db(), unit, { status: 'failed', message: 'Binance does not list ZZFAIL' }, 0);
    }
    const [alert, ...others] = await recentAlerts(db(), 10, true);
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ kind: 'job_failed', subject: job_id, delivery: 'pending', attempts: 0 });
    expect(alert?.message).toMatch(/^Backfill of ZZFAIL \(1h\) failed: \d+ of \d+ units failed$/);
    expect(alert?.data).toMatchObject({ job_id, symbols: ['ZZFAIL'], timeframes: ['1h'] });
    // Without a webhook the same row reads as not to be sent.
    expect((await recentAlerts(db(), 10, false))[0]?.delivery).toBe('unsent');
  });

  it('keeps one open alert per failing check, resolved when the check passes', async () => {
    const run = (ok: boolean, at: number): Checks => ({
      ok,
      ran_at: new Date(at).toISOString(),
      checks: [
        { name: 'Gaps', ok, details: ok ? 'No gaps' : '3 series have gaps' },
        { name: 'OHLC sanity', ok: true, details: 'All bars sane' },
      ],
    });
    await recordCheckResults(db(), run(false, NOON), NOON);
    await recordCheckResults(db(), run(false, NOON + HOUR), NOON + HOUR);
    expect(await alertRows()).toEqual([{ kind: 'check_failed', subject: 'Gaps', open: true }]);
    await recordCheckResults(db(), run(true, NOON + 2 * HOUR), NOON + 2 * HOUR);
    expect(await alertRows()).toEqual([{ kind: 'check_failed', subject: 'Gaps', open: false }]);
    await recordCheckResults(db(), run(false, NOON + 3 * HOUR), NOON + 3 * HOUR);
    expect((await alertRows()).map((a) => a.open)).toEqual([false, true]);
  });

  it('alerts a series once it has been stale long enough, once however often it is evaluated', async () => {
    await db().execute(sql`insert into symbols (symbol, asset_class, provider) values
      ('BTC-USD', 'crypto', 'synthetic'), ('ETH-USD', 'crypto', 'synthetic'), ('SOL-USD', 'crypto', 'synthetic')`);
    await db().execute(sql`update symbols set active = false where symbol = 'ETH-USD'`);
    const lastBar = async (iso: string) =>
      db().execute(sql`insert into series_coverage (symbol, timeframe, first_ts, last_ts, count)
        select s, '1h', '2026-03-01T00:00:00Z', ${iso}::timestamptz, 80 from unnest(array['BTC-USD', 'ETH-USD', 'SOL-USD']) s
        on conflict (symbol, timeframe) do update set last_ts = excluded.last_ts`);
    const staleAfter = HOUR;
    await lastBar('2026-03-04T10:00:00Z');

    // The 10:00 bar is the newest there should be until 11:30 (30 min grace), plus the hour.
    expect(await evaluateStaleSeries(db(), NOON + HOUR, staleAfter)).toEqual([]);
    expect(await evaluateStaleSeries(db(), NOON + 2 * HOUR, staleAfter)).toEqual([
      'series_stale:BTC-USD:1h',
      'series_stale:SOL-USD:1h',
    ]);
    for (const minutes of [1, 2, 30, 60])
      await evaluateStaleSeries(db(), NOON + 2 * HOUR + minutes * 60_000, staleAfter);
    const [sol, alert, ...others] = await recentAlerts(db(), 10, true);
    expect(others).toEqual([]);
    expect(sol).toMatchObject({ kind: 'series_stale', subject: 'SOL-USD 1h', resolved_at: null });
    expect(alert).toMatchObject({ kind: 'series_stale', subject: 'BTC-USD 1h', resolved_at: null });
    expect(alert?.data).toMatchObject({ symbol: 'BTC-USD', timeframe: '1h' });
    expect(alert?.at).toBe(new Date(NOON + 2 * HOUR).toISOString());
    expect(alert?.message).toBe(
      'BTC-USD 1h is stale: its newest bar is 2026-03-04T10:00:00.000Z, and bars through 2026-03-04T11:00:00.000Z should exist',
    );

    // Caught up: resolved; stale again later: a new alert.
    await lastBar('2026-03-04T14:00:00Z');
    expect(await evaluateStaleSeries(db(), NOON + 3 * HOUR, staleAfter)).toEqual([]);
    expect((await alertRows()).map((a) => a.open)).toEqual([false, false]);
    await evaluateStaleSeries(db(), NOON + 8 * HOUR, staleAfter);
    expect((await alertRows()).map((a) => `${a.subject} ${a.open}`)).toEqual([
      'BTC-USD 1h false',
      'SOL-USD 1h false',
      'BTC-USD 1h true',
      'SOL-USD 1h true',
    ]);
  });
});

describe('alert settings', () => {
  it('needs a secret with the webhook URL, and reads the defaults', () => {
    expect(() => loadConfig({ ALERT_WEBHOOK_URL: 'https://hooks.example.com/candlebase' })).toThrow(
      'Invalid configuration: ALERT_WEBHOOK_URL needs ALERT_WEBHOOK_SECRET (a long random string the receiver shares) to sign each alert',
    );
    expect(() => loadConfig({ ALERT_WEBHOOK_URL: 'ftp://x', ALERT_WEBHOOK_SECRET: 'x'.repeat(16) })).toThrow(
      'ALERT_WEBHOOK_URL must be an http:// or https:// URL',
    );
    expect(() => loadConfig({ ALERT_WEBHOOK_SECRET: 'short' })).toThrow(/ALERT_WEBHOOK_SECRET must be at least 16/);
    expect(() => loadConfig({ ALERT_STALE_AFTER_MINUTES: '-1' })).toThrow(
      /ALERT_STALE_AFTER_MINUTES must be an integer/,
    );
    const c = loadConfig({ ALERT_WEBHOOK_URL: 'http://127.0.0.1:9000/hook', ALERT_WEBHOOK_SECRET: 's'.repeat(32) });
    expect([c.ALERT_WEBHOOK_MAX_ATTEMPTS, c.ALERT_STALE_AFTER_MINUTES]).toEqual([8, 60]);
  });
});
