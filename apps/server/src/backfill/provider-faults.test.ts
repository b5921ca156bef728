import { testEngines } from '@candlebase/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, finishedJob, storedBars } from '../testing/backfill-checks';
import {
  type AggsRequest,
  type FakePolygon,
  type Fault,
  servedSeries,
  startFakePolygon,
  unitHash,
  type WireBar,
} from '../testing/fake-polygon';
import { type Harness, startHarness } from '../testing/harness';

/**
 * The real Polygon client against a local server speaking Polygon's wire format, faults included,
 * driving a real server. Three days of 5-minute crypto bars: 864 per unit, 9 pages of 96.
 */
const DAYS = { start_date: '2024-03-04', end_date: '2024-03-06' };
const FROM = Date.UTC(2024, 2, 4);
const TO = Date.UTC(2024, 2, 7);
const STEP = { '5m': 300_000, '1h': 3_600_000 } as const;
const PER_UNIT = { '5m': 864, '1h': 72 } as const;
const ticker = (symbol: string) => `X:${symbol.replace('-', '')}`;

describe.each(testEngines())('provider faults through a fake Polygon on %s', (engine) => {
  let h: Harness;
  let fake: FakePolygon;
  /** The fault each test plays; the fake asks it about every request. */
  let fault: (req: AggsRequest) => Fault | undefined = () => undefined;
  let rewrite: (req: AggsRequest, bars: WireBar[]) => WireBar[] = (_req, bars) => bars;

  beforeAll(async () => {
    fake = await startFakePolygon({
      pageSize: 96,
      fault: (req) => fault(req),
      rewrite: (req, bars) => rewrite(req, bars),
    });
    h = await startHarness(engine, { provider: fake.provider() });
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  const finished = (jobId: string) => finishedJob(h.test.database.db, jobId, 60_000);

  async function expectServed(symbol: string, timeframe: '5m' | '1h') {
    const stored = await storedBars(h.test.database.db, symbol, timeframe);
    expect(stored).toEqual(servedSeries(ticker(symbol), STEP[timeframe], FROM, TO));
  }

  it('30% of requests answer 500: retried, the job completes with exactly the candles served', async () => {
    const symbols = ['FLAKA-USD', 'FLAKB-USD', 'FLAKC-USD', 'FLAKD-USD'];
    // Decided by the URL and how often it was asked, so the same requests fail on every run.
    fault = (req) =>
      unitHash(`${req.url.pathname}${req.url.search}#${req.tries}`) < 0.3
        ? { status: 500, json: { status: 'ERROR', request_id: 'x', error: 'Internal server error' } }
        : undefined;
    const before = fake.requests.length;
    const failedBefore = fake.faults.get('500') ?? 0;
    const { job_id } = await h.caller.backfill.create({ symbols, timeframes: ['5m'], ...DAYS });
    const s = await finished(job_id);
    expect(s.status).toBe('completed');
    expect(s.details.map((d) => d.records_inserted)).toEqual(symbols.map(() => PER_UNIT['5m']));
    expect(s.total_records_inserted).toBe(symbols.length * PER_UNIT['5m']);
    for (const symbol of symbols) await expectServed(symbol, '5m');
    const requests = fake.requests.length - before;
    const failed = (fake.faults.get('500') ?? 0) - failedBefore;
    expect(failed).toBeGreaterThan(5);
    expect(requests).toBe(symbols.length * 9 + failed);
    console.log(`[${engine}] 500s: ${failed} of ${requests} requests failed; the job completed with every candle`);
  });

  it('a 404 fails only that symbol with a clear message; retry re-queues only the failed units', async () => {
    const good = ['OKA-USD', 'OKB-USD'];
    let known = false;
    fault = (req) =>
      req.ticker === 'X:NOPEUSD' && !known
        ? { status: 404, json: { status: 'NOT_FOUND', request_id: 'x', message: 'Ticker not found' } }
        : undefined;
    const { job_id } = await h.caller.backfill.create({
      symbols: [...good, 'NOPE-USD'],
      timeframes: ['5m', '1h'],
      ...DAYS,
    });
    const failed = await finished(job_id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('2 of 6 units failed');
    const nope = failed.details.filter((d) => d.symbol === 'NOPE-USD');
    expect(nope.map((d) => [d.status, d.attempts, d.records_inserted])).toEqual([
      ['failed', 1, 0],
      ['failed', 1, 0],
    ]);
    for (const d of nope)
      expect(d.error_message).toBe('Polygon does not know the ticker X:NOPEUSD (asked for NOPE-USD)');
    const others = failed.details.filter((d) => d.symbol !== 'NOPE-USD');
    expect(others.map((d) => [d.status, d.attempts])).toEqual(others.map(() => ['completed', 1]));
    // A 404 is not worth a retry: one request per unit, then the failure.
    expect(fake.requests.filter((r) => r.ticker === 'X:NOPEUSD')).toHaveLength(2);

    known = true;
    const retried = await h.caller.backfill.retry({ jobId: job_id });
    expect(retried.status).not.toBe('failed');
    const s = await finished(job_id);
    expect(s.status).toBe('completed');
    expect(s.error).toBeNull();
    const key = (d: { symbol: string; timeframe: string }) => `${d.symbol} ${d.timeframe}`;
    for (const d of s.details) {
      const was = failed.details.find((x) => key(x) === key(d));
      if (d.symbol === 'NOPE-USD') expect(d).toMatchObject({ status: 'completed', attempts: 2 });
      // Units that had completed were not touched by the retry.
      else expect(d).toMatchObject({ status: 'completed', attempts: 1, records_inserted: was?.records_inserted });
    }
    for (const symbol of [...good, 'NOPE-USD']) {
      await expectServed(symbol, '5m');
      await expectServed(symbol, '1h');
    }
    expect(s.total_records_inserted).toBe(3 * (PER_UNIT['5m'] + PER_UNIT['1h']));
    const kinds = (await allEvents(h.test.database.db, job_id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'job_failed')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'job_retried')).toHaveLength(1);
    expect(kinds.at(-1)).toBe('job_completed');
  });

  it('bad data: an inconsistent bar fails its unit naming the bar, a repeated timestamp is stored once', async () => {
    fault = () => undefined;
    const badAt = FROM + (96 + 17) * STEP['5m'];
    rewrite = (req, bars) => {
      if (req.ticker === 'X:BADBARUSD' && req.page === 1) {
        return bars.map((b) => (b.t === badAt ? { ...b, h: b.l - 1 } : b));
      }
      if (req.ticker === 'X:DUPEUSD' && req.page === 0) {
        const tenth = bars[10];
        // The same open time twice in one page, the second with other values.
        return tenth ? [...bars.slice(0, 11), { ...tenth, o: 1, c: 2, h: 3, l: 0.5 }, ...bars.slice(11)] : bars;
      }
      return bars;
    };
    const { job_id } = await h.caller.backfill.create({
      symbols: ['BADBAR-USD', 'DUPE-USD', 'CLEAN-USD'],
      timeframes: ['5m'],
      ...DAYS,
    });
    const s = await finished(job_id);
    rewrite = (_req, bars) => bars;
    expect(s.status).toBe('failed');
    const unit = (symbol: string) => s.details.find((d) => d.symbol === symbol);
    const bad = unit('BADBAR-USD');
    expect(bad).toMatchObject({ status: 'failed', attempts: 1, records_inserted: 96 });
    expect(bad?.error_message).toMatch(
      new RegExp(
        `^The provider sent an inconsistent bar for BADBAR-USD 5m at ${new Date(badAt).toISOString()}: high [\\d.]+, low [\\d.]+`,
      ),
    );
    // The page before the bad one is stored whole; nothing of the bad page or after it.
    const stored = await storedBars(h.test.database.db, 'BADBAR-USD', '5m');
    expect(stored).toEqual(servedSeries('X:BADBARUSD', STEP['5m'], FROM, FROM + 96 * STEP['5m']));

    expect(unit('DUPE-USD')).toMatchObject({ status: 'completed', records_fetched: 864, records_inserted: 864 });
    await expectServed('DUPE-USD', '5m');
    expect(unit('CLEAN-USD')).toMatchObject({ status: 'completed', records_inserted: 864 });
    await expectServed('CLEAN-USD', '5m');

    const events = await allEvents(h.test.database.db, job_id);
    expect(events.find((e) => e.kind === 'unit_failed')?.message).toContain(new Date(badAt).toISOString());
    // The server is fine: healthy, and the next job runs.
    expect((await h.caller.system.health()).status).toBe('ok');
    const next = await h.caller.backfill.create({ symbols: ['AFTER-USD'], timeframes: ['1h'], ...DAYS });
    expect((await finished(next.job_id)).status).toBe('completed');
  });
});
