import type { Candle } from '@candlebase/contracts';
import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import { createPolygonProvider } from '@candlebase/providers';
import { type FakeCompany, startFakePolygonCompany } from '@candlebase/providers/testing/fake-polygon-company';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedJob } from '../testing/backfill-checks';
import { type Harness, startHarness } from '../testing/harness';

/** NYSE sessions from 2024-05-28 to 2024-06-21 (Juneteenth, 06-19, closed). */
const DAYS = [
  '2024-05-28',
  '2024-05-29',
  '2024-05-30',
  '2024-05-31',
  '2024-06-03',
  '2024-06-04',
  '2024-06-05',
  '2024-06-06',
  '2024-06-07',
  '2024-06-10',
  '2024-06-11',
  '2024-06-12',
  '2024-06-13',
  '2024-06-14',
  '2024-06-17',
  '2024-06-18',
  '2024-06-20',
  '2024-06-21',
];
const SPLIT_DAY = '2024-06-10';
const DIVIDEND_DAY = '2024-06-17';
const DIVIDEND = 0.25;

const day = (c: Candle) => c.ts.slice(0, 10);
const jump = (a: number, b: number) => Math.abs(b / a - 1);

describe.each(testEngines())('splits and dividends from Polygon, on %s', (engine) => {
  let h: Harness;
  let fake: FakeCompany;
  let jobs: string[] = [];

  const list = async (adjust: 'none' | 'splits' | 'all') =>
    (await h.caller.candles.list({ symbol: 'ACME', timeframe: '1d', limit: 100, adjust })).candles.slice().reverse();

  beforeAll(async () => {
    fake = await startFakePolygonCompany({
      ticker: 'ACME',
      days: DAYS,
      splits: [{ execution_date: SPLIT_DAY, split_from: 1, split_to: 4 }],
      dividends: [{ ex_dividend_date: DIVIDEND_DAY, cash_amount: DIVIDEND }],
    });
    const provider = createPolygonProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      requestsPerMinute: 100_000,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    h = await startHarness(engine, { provider });
    // Job 1 runs the Friday before the split, which nobody has heard of yet.
    fake.setToday('2024-06-07');
    const first = await h.caller.backfill.create({
      symbols: ['ACME'],
      timeframes: ['1d'],
      start_date: '2024-06-03',
      end_date: '2024-06-07',
    });
    expect((await finishedJob(h.test.database.db, first.job_id)).status).toBe('completed');
    // Job 2, two weeks later, reaches further back too: Polygon's adjusted bars for those days would be at the new scale.
    fake.setToday('2024-06-21');
    const second = await h.caller.backfill.create({
      symbols: ['ACME'],
      timeframes: ['1d'],
      start_date: '2024-05-28',
      end_date: '2024-06-21',
    });
    expect((await finishedJob(h.test.database.db, second.job_id)).status).toBe('completed');
    jobs = [first.job_id, second.job_id];
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it('stores raw prices: every aggregate was asked unadjusted, and `none` reads back as traded with one 4x step', async () => {
    const aggs = fake.requests.filter((r) => r.url.pathname.startsWith('/v2/aggs/'));
    expect(aggs.length).toBeGreaterThanOrEqual(2);
    for (const r of aggs) expect(r.url.searchParams.get('adjusted')).toBe('false');

    const raw = await list('none');
    expect(raw.map(day)).toEqual(DAYS);
    expect(raw.map((c) => c.close)).toEqual(DAYS.map((d) => fake.rawBar(d).c));
    const steps = raw.slice(1).flatMap((c, i) => (jump(raw[i]?.close ?? 0, c.close) > 0.35 ? [day(c)] : []));
    expect(steps).toEqual([SPLIT_DAY]);
    const at = DAYS.indexOf(SPLIT_DAY);
    const [before, after] = [raw[at - 1], raw[at]];
    const adjusted = await list('splits');
    // Exactly the split's 4x on top of the day's real move.
    expect((before?.close ?? 0) / (after?.close ?? 1)).toBeCloseTo(
      (4 * (adjusted[at - 1]?.close ?? 0)) / (adjusted[at]?.close ?? 1),
      12,
    );
  });

  it('`splits` (the default) has no jump and matches what Polygon serves adjusted today', async () => {
    const adjusted = await list('splits');
    const byDefault = (await h.caller.candles.list({ symbol: 'ACME', timeframe: '1d', limit: 100 })).candles
      .slice()
      .reverse();
    expect(byDefault).toEqual(adjusted);
    await expect(
      h.caller.candles.list({ symbol: 'ACME', timeframe: '1d', adjust: 'dividends' as never }),
    ).rejects.toThrow('adjust must be one of none, splits or all');
    for (let i = 1; i < adjusted.length; i++) {
      expect(jump(adjusted[i - 1]?.close ?? 0, adjusted[i]?.close ?? 0)).toBeLessThan(0.05);
    }
    adjusted.forEach((c, i) => {
      const want = fake.adjustedBar(DAYS[i] ?? '');
      expect(c.open).toBeCloseTo(want.o, 10);
      expect(c.high).toBeCloseTo(want.h, 10);
      expect(c.low).toBeCloseTo(want.l, 10);
      expect(c.close).toBeCloseTo(want.c, 10);
      expect(c.vwap ?? 0).toBeCloseTo(want.vw, 10);
      expect(c.volume).toBeCloseTo(want.v, 6);
    });
  });

  it('dividends change only `all`: bars before the ex-date by 1 - dividend / previous close', async () => {
    const [raw, splits, all] = [await list('none'), await list('splits'), await list('all')];
    const at = DAYS.indexOf(DIVIDEND_DAY);
    const factor = 1 - DIVIDEND / (raw[at - 1]?.close ?? 0);
    all.forEach((c, i) => {
      const s = splits[i] as Candle;
      if (i >= at) expect(c).toEqual(s);
      else {
        expect(c.close).toBeCloseTo(s.close * factor, 10);
        expect(c.open).toBeCloseTo(s.open * factor, 10);
        expect(c.volume).toBe(s.volume);
      }
    });
    expect(factor).toBeLessThan(1);
  });

  it('indicators read the same adjusted prices', async () => {
    const f = async (adjust: 'none' | 'splits') =>
      (await h.caller.enrichment.features({ symbol: 'ACME', timeframe: '1d', adjust })).series.map((p) => p.close);
    expect(await f('none')).toEqual((await list('none')).map((c) => c.close));
    expect(await f('splits')).toEqual((await list('splits')).map((c) => c.close));
  });

  it('records the actions once per job, counting no records, and lists them over tRPC and REST', async () => {
    const want = [
      { ex_date: SPLIT_DAY, kind: 'split', ratio: 4, amount: null, source: 'polygon' },
      { ex_date: DIVIDEND_DAY, kind: 'dividend', ratio: null, amount: DIVIDEND, source: 'polygon' },
    ];
    expect(await h.caller.candles.actions({ symbol: 'acme' })).toEqual(want);
    const rest = await fetch(`${h.url}/api/v1/actions?symbol=ACME`);
    expect(rest.status).toBe(200);
    expect(await rest.json()).toEqual(want);

    const bad = await fetch(`${h.url}/api/v1/actions?symbol=${encodeURIComponent('AC$ME')}`);
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { detail: { loc: string[]; msg: string }[] }).detail[0]).toMatchObject({
      loc: ['query', 'symbol'],
      msg: expect.stringContaining('Invalid symbol "AC$ME"'),
    });
    expect((await fetch(`${h.url}/api/v1/actions`)).status).toBe(422);
    const doc = (await (await fetch(`${h.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/v1/actions');

    const events = await queryRows<{ job_id: string; kind: string; message: string }>(
      h.test.database.db,
      sql`select job_id::text, kind, message from backfill_job_events where kind like 'actions_%' order by id`,
    );
    expect(events).toEqual([
      { job_id: jobs[0], kind: 'actions_recorded', message: 'ACME: 0 splits and 0 dividends recorded from polygon' },
      { job_id: jobs[1], kind: 'actions_recorded', message: 'ACME: 1 split and 1 dividend recorded from polygon' },
    ]);
    const second = await h.caller.backfill.status({ jobId: jobs[1] ?? '' });
    // 2024-05-28..31 and 06-10..21: the new rows only, the actions counting for nothing.
    expect(second.total_records_inserted).toBe(DAYS.length - 5);
    expect(fake.requests.filter((r) => r.url.pathname === '/v3/reference/splits')).toHaveLength(2);
  });

  it('the check flags the 4x step while the split is not recorded, and not once it is', async () => {
    const check = async () => (await h.caller.system.checks()).checks.find((c) => c.name === 'Unrecorded splits');
    expect(await check()).toMatchObject({ ok: true });
    const db = h.test.database.db;
    await db.execute(sql`delete from corporate_actions where symbol = 'ACME' and kind = 'split'`);
    const flagged = await check();
    expect(flagged?.ok).toBe(false);
    expect(flagged?.details).toMatch(
      /^Possible unrecorded split: 1 move over 35% with no recorded split: ACME 1d at 2024-06-10T00:00Z/,
    );
    await db.execute(
      sql`insert into corporate_actions (symbol, ex_date, kind, ratio, source) values ('ACME', ${SPLIT_DAY}, 'split', 4, 'polygon')`,
    );
    expect(await check()).toMatchObject({ ok: true });
  });
});

describe.each(testEngines())('a failing actions endpoint, on %s', (engine) => {
  it('leaves the candles stored and says why in the job log', async () => {
    const fake = await startFakePolygonCompany({
      ticker: 'ACME',
      days: DAYS,
      fault: (url) =>
        url.pathname === '/v3/reference/dividends'
          ? { status: 400, json: { status: 'ERROR', request_id: 'x', error: 'ex_dividend_date.gte is malformed' } }
          : undefined,
    });
    const provider = createPolygonProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      requestsPerMinute: 100_000,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    const h = await startHarness(engine, { provider, http: false });
    try {
      const job = await h.caller.backfill.create({
        symbols: ['ACME'],
        timeframes: ['1d', '1h'],
        start_date: '2024-06-03',
        end_date: '2024-06-07',
      });
      const s = await finishedJob(h.test.database.db, job.job_id);
      expect(s.status).toBe('completed');
      expect(s.total_records_inserted).toBeGreaterThanOrEqual(5);
      const events = await queryRows<{ kind: string; message: string }>(
        h.test.database.db,
        sql`select kind, message from backfill_job_events where kind like 'actions_%'`,
      );
      expect(events).toEqual([
        {
          kind: 'actions_failed',
          message: expect.stringMatching(
            /^ACME: splits and dividends could not be fetched \(.*ex_dividend_date\.gte is malformed.*\)/,
          ),
        },
      ]);
      expect(await h.caller.candles.actions({ symbol: 'ACME' })).toEqual([]);
      // Two timeframes of one symbol, one attempt at its actions.
      expect(fake.requests.filter((r) => r.url.pathname === '/v3/reference/splits')).toHaveLength(1);
    } finally {
      await h.close();
      await fake.close();
    }
  });
});
