import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryRows } from '@candlebase/db';
import { iso as isoOf } from '@candlebase/db/rows';
import { testEngines } from '@candlebase/db/testing';
import { createCsvProvider } from '@candlebase/providers';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedJob } from '../testing/backfill-checks';
import { type Harness, startHarness } from '../testing/harness';
import { type Bar, computeFeatures } from './indicators';
import { recomputeCoverage } from './series';

const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

const finished = (h: Harness, jobId: string) => finishedJob(h.test.database.db, jobId, 60_000);

async function backfill(h: Harness, symbol: string, timeframe: '5m' | '1h' | '1d', start: string, end: string) {
  const created = await h.caller.backfill.create({
    symbols: [symbol],
    timeframes: [timeframe],
    start_date: start,
    end_date: end,
  });
  const s = await finished(h, created.job_id);
  expect(s.status).toBe('completed');
}

describe.each(testEngines())('enrichment on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(async () => h?.close());

  it('features: the newest bars, with a warm-up read before them so the first point is settled', async () => {
    await backfill(h, 'BTC-USD', '1h', '2024-03-01', '2024-03-31');
    const f = await h.caller.enrichment.features({ symbol: 'btc-usd', timeframe: '1h', limit: 100 });
    expect(f.series).toHaveLength(100);
    expect(f.warmup_bars).toBe(300);
    expect(f.periods_per_year).toBe(8760);
    expect(f.calendar).toBe('24x7');
    expect(f.latest?.ts).toBe('2024-03-31T23:00:00.000Z');
    expect(f.series[0]?.ts).toBe(iso(Date.parse('2024-03-31T23:00:00Z') - 99 * H));
    // Without the warm-up the first point could have no EMA 50 or compression rank (139 bars).
    const first = f.series[0];
    for (const v of [first?.ema_50, first?.rsi_14, first?.macd_signal, first?.volatility_50, first?.atr_14]) {
      expect(v).toEqual(expect.any(Number));
    }
    expect(first?.compression).not.toBeNull();
    expect(f.regimes.trend).toBe(f.latest?.trend);
    expect(['uptrend', 'downtrend', 'ranging']).toContain(f.regimes.trend);

    // The same bar computed over the whole month (744 bars) agrees: the seed has decayed away.
    const page = await h.caller.candles.list({ symbol: 'BTC-USD', timeframe: '1h', limit: 1000 });
    const bars: Bar[] = page.candles.reverse().map((c) => ({ ...c, ts: Date.parse(c.ts) }));
    const full = computeFeatures(bars, 8760);
    const same = full.find((p) => p.ts === first?.ts);
    const relative = (a: number | null | undefined, b: number | null | undefined) =>
      Math.abs((a ?? Number.NaN) - (b ?? Number.NaN)) / Math.abs(b ?? Number.NaN);
    expect(relative(first?.ema_50, same?.ema_50)).toBeLessThan(1e-6);
    expect(relative(first?.rsi_14, same?.rsi_14)).toBeLessThan(1e-6);
  });

  it('features: clear errors for an unknown symbol or a limit out of range', async () => {
    await expect(h.caller.enrichment.features({ symbol: 'NOPE', timeframe: '1h' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(h.caller.enrichment.features({ symbol: 'BTC-USD', timeframe: '1h', limit: 2001 })).rejects.toThrow(
      /at most 2000/,
    );
    const empty = await h.caller.enrichment.features({ symbol: 'BTC-USD', timeframe: '5m' });
    expect(empty).toMatchObject({ latest: null, series: [], regimes: { trend: null, compression: null } });
  });

  it('coverage: expected bars follow the NYSE calendar, holidays and early closes included', async () => {
    await backfill(h, 'AAPL', '1d', '2024-03-01', '2024-04-05');
    const daily = await h.caller.enrichment.coverage({ symbol: 'AAPL', timeframe: '1d' });
    // March 2024 has 20 sessions from the 1st (Good Friday the 29th is closed), April 1-5 five more.
    expect(daily).toMatchObject({
      count: 25,
      expected: 25,
      first: '2024-03-01T00:00:00.000Z',
      last: '2024-04-05T00:00:00.000Z',
    });
    expect(daily.window).toMatchObject({ count: 25, expected: 25, missing_bars: 0, coverage_pct: 100 });
    expect(daily.missing).toEqual([]);

    await backfill(h, 'AAPL', '5m', '2024-11-25', '2024-11-29');
    const intraday = await h.caller.enrichment.coverage({ symbol: 'AAPL', timeframe: '5m' });
    // Mon-Wed 78 bars each, Thanksgiving closed, Friday closes at 13:00: 42 bars.
    expect(intraday).toMatchObject({ count: 3 * 78 + 42, expected: 3 * 78 + 42 });
    // A requested window reaching past the data: the missing days are gaps nobody asked for.
    const wider = await h.caller.enrichment.coverage({
      symbol: 'AAPL',
      timeframe: '5m',
      from: '2024-11-22T00:00:00Z',
      to: '2024-11-30T00:00:00Z',
    });
    expect(wider.window).toMatchObject({ count: 276, expected: 276 + 78, missing_bars: 78 });
    expect(wider.missing).toEqual([
      { from: '2024-11-22T14:30:00.000Z', to: '2024-11-22T21:00:00.000Z', bars: 78, kind: 'gap' },
    ]);
    await expect(
      h.caller.enrichment.coverage({
        symbol: 'AAPL',
        timeframe: '5m',
        from: '2024-11-30T00:00:00Z',
        to: '2024-11-22T00:00:00Z',
      }),
    ).rejects.toThrow(/from must be before to/);
  });

  it('fill gaps: one job for exactly the holes, after which coverage is whole', async () => {
    await backfill(h, 'ETH-USD', '1h', '2024-03-04', '2024-03-10');
    const db = h.running.app.database.db;
    await db.execute(sql`delete from candles where symbol = 'ETH-USD' and timeframe = '1h'
      and ((ts >= '2024-03-05T10:00:00Z' and ts < '2024-03-05T14:00:00Z') or ts = '2024-03-08T00:00:00Z')`);
    await recomputeCoverage(db, { symbol: 'ETH-USD', timeframe: '1h' });

    const before = await h.caller.enrichment.coverage({ symbol: 'ETH-USD', timeframe: '1h' });
    expect(before).toMatchObject({
      count: 163,
      expected: 168,
      gaps: { ranges: 2, bars: 5 },
      quiet: { ranges: 0, bars: 0 },
    });
    expect(before.window.coverage_pct).toBeCloseTo((163 / 168) * 100, 2);
    const holes = [
      { from: '2024-03-05T10:00:00.000Z', to: '2024-03-05T14:00:00.000Z', bars: 4, kind: 'gap' },
      { from: '2024-03-08T00:00:00.000Z', to: '2024-03-08T01:00:00.000Z', bars: 1, kind: 'gap' },
    ];
    expect(before.missing).toEqual(holes);
    const gapCheck = (await h.caller.system.checks()).checks.find((c) => c.name === 'Gaps');
    expect(gapCheck).toMatchObject({ ok: false, details: expect.stringContaining('ETH-USD 1h (2 gaps, 5 bars)') });

    const filled = await h.caller.enrichment.fillGaps({ symbol: 'ETH-USD', timeframe: '1h' });
    expect(filled.ranges).toEqual(holes);
    expect(filled.message).toBe('Filling 2 gaps (5 bars) of ETH-USD 1h');
    const jobId = filled.job?.job_id ?? '';
    const units = await queryRows<{ rs: unknown; re: unknown; origin: string }>(
      db,
      sql`select u.range_start as rs, u.range_end as re, j.origin from backfill_job_progress u
          join backfill_jobs j on j.id = u.job_id where j.id = ${jobId} order by u.range_start`,
    );
    expect(units.map((u) => [isoOf(u.rs), isoOf(u.re), u.origin])).toEqual([
      ['2024-03-05T10:00:00.000Z', '2024-03-05T14:00:00.000Z', 'gaps'],
      ['2024-03-08T00:00:00.000Z', '2024-03-08T01:00:00.000Z', 'gaps'],
    ]);
    const done = await finished(h, jobId);
    expect(done.status).toBe('completed');
    expect(done.details.map((d) => d.records_inserted).sort()).toEqual([1, 4]);

    const after = await h.caller.enrichment.coverage({ symbol: 'ETH-USD', timeframe: '1h' });
    expect(after).toMatchObject({ count: 168, gaps: { ranges: 0 }, quiet: { ranges: 0 }, missing: [] });
    expect(after.window.coverage_pct).toBe(100);
    const again = await h.caller.enrichment.fillGaps({ symbol: 'ETH-USD', timeframe: '1h' });
    expect(again).toMatchObject({ job: null, ranges: [], message: 'ETH-USD 1h has no gaps to fill' });
  });

  it('a bar that is not a candle cannot be stored, so the check reads the constraint, not the table', async () => {
    const db = h.running.app.database.db;
    const refused = async (query: ReturnType<typeof sql>) => {
      const err = await db.execute(query).then(
        () => null,
        (e: unknown) => e,
      );
      const root = (err as { cause?: unknown })?.cause ?? err;
      return (root as { constraint_name?: string; constraint?: string; message?: string }) ?? null;
    };
    const high = await refused(
      sql`update candles set high = least(open, close) - 1 where symbol = 'ETH-USD' and timeframe = '1h' and ts = '2024-03-06T00:00:00Z'`,
    );
    expect(String(high?.message)).toMatch(/candles_ohlc_sane/);
    const volume = await refused(
      sql`update candles set volume = -5 where symbol = 'ETH-USD' and timeframe = '1h' and ts = '2024-03-06T01:00:00Z'`,
    );
    expect(String(volume?.message)).toMatch(/candles_ohlc_sane/);
    const c = await h.caller.enrichment.coverage({ symbol: 'ETH-USD', timeframe: '1h' });
    expect(c.sanity).toEqual({ high_below_body: 0, low_above_body: 0, negative_volume: 0 });
    const ohlc = (await h.caller.system.checks()).checks.find((x) => x.name === 'OHLC sanity');
    expect(ohlc?.ok).toBe(true);
    expect(ohlc?.details).toMatch(/^All [\d,]+ candles are consistent \(enforced by candles_ohlc_sane\)$/);
  });
});

describe.each(testEngines())('quiet periods vs gaps on %s', (engine) => {
  // A CSV source with holes: the provider is asked for the whole day and has no bar at 05:00,
  // 06:00 and 12:00 (no trades), which must not count as gaps to fill.
  const dir = mkdtempSync(join(tmpdir(), 'candlebase-quiet-'));
  let h: Harness;
  beforeAll(async () => {
    const day = Date.parse('2024-03-04T00:00:00Z');
    const rows = Array.from({ length: 24 }, (_, i) => i)
      .filter((i) => ![5, 6, 12].includes(i))
      .map((i) => `${iso(day + i * H)},100,101,99,100.5,10`);
    writeFileSync(join(dir, 'QT-USD_1h.csv'), ['timestamp,open,high,low,close,volume', ...rows].join('\n'));
    h = await startHarness(engine, { provider: createCsvProvider({ dir }) });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a hole the provider was asked about is quiet; a span never asked for is a gap; filling asks once', async () => {
    await backfill(h, 'QT-USD', '1h', '2024-03-04', '2024-03-04');
    const own = await h.caller.enrichment.coverage({ symbol: 'QT-USD', timeframe: '1h' });
    expect(own).toMatchObject({ count: 21, gaps: { ranges: 0, bars: 0 }, quiet: { ranges: 2, bars: 3 } });
    expect(own.missing.map((m) => [m.from, m.bars, m.kind])).toEqual([
      ['2024-03-04T05:00:00.000Z', 2, 'quiet'],
      ['2024-03-04T12:00:00.000Z', 1, 'quiet'],
    ]);
    expect(await h.caller.enrichment.fillGaps({ symbol: 'QT-USD', timeframe: '1h' })).toMatchObject({
      job: null,
      message: 'QT-USD 1h has no gaps to fill (2 quiet periods left as they are: the provider had no bars there)',
    });

    const window = {
      symbol: 'QT-USD',
      timeframe: '1h' as const,
      from: '2024-03-03T00:00:00Z',
      to: '2024-03-05T00:00:00Z',
    };
    const wide = await h.caller.enrichment.coverage(window);
    expect(wide).toMatchObject({ gaps: { ranges: 1, bars: 24 }, quiet: { ranges: 2, bars: 3 } });
    expect(wide.missing[0]).toEqual({
      from: '2024-03-03T00:00:00.000Z',
      to: '2024-03-04T00:00:00.000Z',
      bars: 24,
      kind: 'gap',
    });

    const fill = await h.caller.enrichment.fillGaps(window);
    expect(fill.ranges).toEqual([wide.missing[0]]);
    expect((await finished(h, fill.job?.job_id ?? '')).status).toBe('completed');
    // The source has nothing for the 3rd either: asked and answered empty, the day is now quiet.
    const settled = await h.caller.enrichment.coverage(window);
    expect(settled).toMatchObject({ gaps: { ranges: 0, bars: 0 }, quiet: { ranges: 3, bars: 27 } });
    expect(settled.window.coverage_pct).toBeCloseTo((21 / 48) * 100, 2);
  });
});
