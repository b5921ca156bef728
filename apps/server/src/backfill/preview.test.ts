import { type BackfillPreview, backfillPreviewSchema } from '@candlebase/contracts';
import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { finishedJob, unitRows } from '../testing/backfill-checks';
import { type FakePolygon, startFakePolygon } from '../testing/fake-polygon';
import { type Harness, startHarness } from '../testing/harness';

/** Polygon's own page size: a window of 50,000 minutes always fits one answer. */
const PAGE = 50_000;
const SPAN: Record<string, string> = { '1h': '/range/1/hour/', '1d': '/range/1/day/' };

describe.each(testEngines())('backfill preview on %s', (engine) => {
  let h: Harness | undefined;
  let polygon: FakePolygon | undefined;
  afterEach(async () => {
    await h?.close();
    await polygon?.close();
    h = undefined;
    polygon = undefined;
  });

  async function start(env: Record<string, string> = {}) {
    polygon = await startFakePolygon({ pageSize: PAGE });
    h = await startHarness(engine, { env: { ...polygon.serverEnv(), ...env } });
    return { h, polygon };
  }

  const post = async (server: Harness, path: string, query: string) => {
    const res = await fetch(`${server.url}${path}?${query}`, { method: 'POST' });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  const counts = async (server: Harness) =>
    (
      await queryRows<{ symbols: number; jobs: number }>(
        server.running.app.database.db,
        sql`select (select count(*)::int from symbols) as symbols, (select count(*)::int from backfill_jobs) as jobs`,
      )
    )[0];

  /** Runs the backfill the preview described; checks it against what the fake saw on the wire, unit by unit. */
  async function runAndCompare(server: Harness, fake: FakePolygon, query: string, preview: BackfillPreview) {
    const before = fake.requests.length;
    const created = await post(server, '/api/v1/backfill', query);
    expect(created.status).toBe(200);
    const jobId = (created.body as { job_id: string }).job_id;
    await finishedJob(server.running.app.database.db, jobId);
    const wire = fake.requests.slice(before);
    const units = await unitRows(server.running.app.database.db, jobId);
    for (const item of preview.items) {
      const ticker = `X:${item.symbol.replace('-', '')}`;
      const asked = wire.filter((r) => r.ticker === ticker && r.url.pathname.includes(SPAN[item.timeframe] ?? '?'));
      const unit = units.find((u) => u.symbol === item.symbol && u.timeframe === item.timeframe);
      expect({ unit: `${item.symbol} ${item.timeframe}`, requests: asked.length, bars: unit?.records_fetched }).toEqual(
        {
          unit: `${item.symbol} ${item.timeframe}`,
          requests: item.requests,
          bars: item.bars,
        },
      );
      expect(unit?.records_inserted).toBe(item.bars);
      // The windows asked cover exactly the previewed ranges, from the first start to the last end.
      const first = item.ranges[0];
      const last = item.ranges[item.ranges.length - 1];
      if (first && last && item.timeframe !== '1d') {
        const windows = asked.map((r) => r.url.pathname.split('/').slice(-2).map(Number) as [number, number]);
        expect(Math.min(...windows.map((w) => w[0]))).toBe(Date.parse(first.start));
        expect(Math.max(...windows.map((w) => w[1]))).toBe(Date.parse(last.end) - 1);
      }
    }
    expect(wire.length).toBe(preview.total_requests);
  }

  it('lists the ranges, bars and requests the backfill then fetches, and creates nothing', async () => {
    const { h, polygon } = await start();
    const q1 = 'symbols=BTC-USD,ETH-USD&timeframes=1h,1d&start_date=2023-01-01&end_date=2023-03-31';
    const res = await post(h, '/api/v1/backfill/preview', q1);
    expect(res.status).toBe(200);
    const preview = backfillPreviewSchema.parse(res.body);
    expect(await counts(h)).toEqual({ symbols: 0, jobs: 0 });
    expect(polygon.requests).toHaveLength(0);
    const btcHour = preview.items.find((i) => i.symbol === 'BTC-USD' && i.timeframe === '1h');
    // 90 days of 24 hourly bars, in 50,000-minute windows: ceil(129,600 / 50,000) = 3 requests.
    expect(btcHour).toEqual({
      symbol: 'BTC-USD',
      timeframe: '1h',
      provider: 'polygon',
      ranges: [{ start: '2023-01-01T00:00:00.000Z', end: '2023-04-01T00:00:00.000Z', bars: 2160 }],
      bars: 2160,
      requests: 3,
    });
    expect(preview.total_bars).toBe(2 * (2160 + 90));
    expect(preview.total_requests).toBe(2 * (3 + 1));
    await runAndCompare(h, polygon, q1, preview);

    // Two more months: the stored, complete first quarter is skipped.
    const q2 = 'symbols=BTC-USD,ETH-USD&timeframes=1h,1d&start_date=2023-01-01&end_date=2023-05-31';
    const again = backfillPreviewSchema.parse((await post(h, '/api/v1/backfill/preview', q2)).body);
    expect(again.items.find((i) => i.symbol === 'ETH-USD' && i.timeframe === '1d')?.ranges).toEqual([
      { start: '2023-04-01T00:00:00.000Z', end: '2023-06-01T00:00:00.000Z', bars: 61 },
    ]);
    expect(again.total_bars).toBe(2 * (61 * 24 + 61));
    await runAndCompare(h, polygon, q2, again);

    // Everything stored: nothing to fetch, no request, no time.
    const done = backfillPreviewSchema.parse((await post(h, '/api/v1/backfill/preview', q2)).body);
    expect(done).toMatchObject({ total_bars: 0, total_requests: 0, estimated_seconds: 0 });
    expect(done.items.every((i) => i.ranges.length === 0)).toBe(true);
  });

  it("counts an equity's bars by the exchange calendar (synthetic provider, its pages)", async () => {
    const server = await startHarness(engine);
    h = server;
    const q = 'symbols=AAPL&timeframes=1h&start_date=2024-01-01&end_date=2024-01-31';
    const preview = backfillPreviewSchema.parse((await post(server, '/api/v1/backfill/preview', q)).body);
    // January 2024: 21 NYSE trading days (New Year's Day and MLK Day closed) x 7 hourly bars, one page.
    expect(preview.items).toEqual([
      {
        symbol: 'AAPL',
        timeframe: '1h',
        provider: 'synthetic',
        ranges: [{ start: '2024-01-01T00:00:00.000Z', end: '2024-02-01T00:00:00.000Z', bars: 147 }],
        bars: 147,
        requests: 1,
      },
    ]);
    expect(preview.estimated_seconds).toBeLessThan(1);
    const created = await post(server, '/api/v1/backfill', q);
    const jobId = (created.body as { job_id: string }).job_id;
    await finishedJob(server.running.app.database.db, jobId);
    const [unit] = await unitRows(server.running.app.database.db, jobId);
    expect(unit?.records_inserted).toBe(147);
  });

  it('refuses what backfill.create refuses, with the same 422s, over REST and tRPC', async () => {
    const { h } = await start();
    const bad = await post(h, '/api/v1/backfill/preview', 'symbols=&start_date=2024-02-01&end_date=2024-01-01');
    expect(bad.status).toBe(422);
    expect((bad.body as { detail: { msg: string }[] }).detail.map((d) => d.msg).sort()).toEqual(
      ['No symbols selected', 'Please select at least one timeframe', 'Start date must be before end date'].sort(),
    );
    const tooLong = await post(
      h,
      '/api/v1/backfill/preview',
      'symbols=AAPL&timeframes=5m&start_date=2000-01-01&end_date=2024-01-01',
    );
    expect(tooLong.status).toBe(422);
    await expect(h.caller.backfill.preview({ symbols: [], timeframes: ['1h'] })).rejects.toThrow(/No symbols selected/);
    const viaTrpc = await h.caller.backfill.preview({
      symbols: ['btc-usd'],
      timeframes: ['1d'],
      start_date: '2023-01-01',
      end_date: '2023-01-10',
    });
    expect(viaTrpc.items).toEqual([
      {
        symbol: 'BTC-USD',
        timeframe: '1d',
        provider: 'polygon',
        ranges: [{ start: '2023-01-01T00:00:00.000Z', end: '2023-01-11T00:00:00.000Z', bars: 10 }],
        bars: 10,
        requests: 1,
      },
    ]);
    expect(await counts(h)).toEqual({ symbols: 0, jobs: 0 });
  });

  it('estimates the time at 5 requests a window within 10% of the run', async () => {
    // Long windows, few of them: the quota sets the pace, and a busy machine's slack stays well inside 10%.
    const WINDOW_MS = 5000;
    const { h } = await start({ POLYGON_REQUESTS_PER_MINUTE: '5', POLYGON_QUOTA_WINDOW_MS: String(WINDOW_MS) });
    // A year of 1h bars: 11 windows of 50,000 minutes, 11 requests: 5 at once, then 2 waits for the window.
    const q = 'symbols=BTC-USD&timeframes=1h&start_date=2023-01-01&end_date=2023-12-31';
    const preview = backfillPreviewSchema.parse((await post(h, '/api/v1/backfill/preview', q)).body);
    expect(preview.total_requests).toBe(11);
    const created = await post(h, '/api/v1/backfill', q);
    const jobId = (created.body as { job_id: string }).job_id;
    const started = performance.now();
    await finishedJob(h.running.app.database.db, jobId);
    const [row] = await queryRows<{ s: number }>(
      h.running.app.database.db,
      sql`select extract(epoch from completed_at - created_at)::float8 as s from backfill_jobs where id = ${jobId}`,
    );
    const seconds = Number(row?.s ?? (performance.now() - started) / 1000);
    expect(Math.abs(preview.estimated_seconds - seconds) / seconds).toBeLessThan(0.1);
  });
});
