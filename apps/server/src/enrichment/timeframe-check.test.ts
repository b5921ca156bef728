import { testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedJob } from '../testing/backfill-checks';
import { type Harness, startHarness } from '../testing/harness';

/** A Wednesday afternoon long after the range: every bar of it has closed. */
const NOW = Date.parse('2024-06-12T15:07:00Z');

describe.each(testEngines())('the "Timeframes agree" check on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine, { clock: () => NOW });
  });
  afterAll(async () => h?.close());

  const check = async () =>
    (await h.caller.system.checks()).checks.find((c) => c.name === 'Timeframes agree') ?? { ok: false, details: '' };

  it('the demo data agrees across timeframes; a daily bar that disagrees with its session is named', async () => {
    // AAPL (NYSE) and ETH-USD (24x7), daily and 5-minute, over a week.
    const created = await h.caller.backfill.create({
      symbols: ['AAPL', 'ETH-USD'],
      timeframes: ['5m', '1d'],
      start_date: '2024-03-04',
      end_date: '2024-03-08',
    });
    expect((await finishedJob(h.test.database.db, created.job_id, 60_000)).status).toBe('completed');
    expect(await check()).toEqual({
      name: 'Timeframes agree',
      ok: true,
      details: 'Daily and intraday bars agree for 2 symbols (latest whole session)',
    });

    const db = h.running.app.database.db;
    // As a provider's daily bar might come: a high under the session's highest 5-minute high
    // (still a candle: the body stays inside it), and a volume under what the 5-minute bars trade.
    await db.execute(sql`
      update candles set high = greatest(open, close), volume = 1
      where symbol = 'AAPL' and timeframe = '1d' and ts = '2024-03-08T00:00:00Z'`);
    const failing = await check();
    expect(failing.ok).toBe(false);
    expect(failing.details).toMatch(
      /^2 disagreements between daily and intraday bars: AAPL 2024-03-08: daily high [\d.]+ is below the 5m high [\d.]+; AAPL 2024-03-08: the 5m bars trade \d+, more than the daily 1$/,
    );
  });
});
