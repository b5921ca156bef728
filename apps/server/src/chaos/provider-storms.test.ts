import { testEngines } from '@candlebase/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, finishedJob, storedBars } from '../testing/backfill-checks';
import {
  type AggsRequest,
  type FakePolygon,
  type Fault,
  servedSeries,
  startFakePolygon,
} from '../testing/fake-polygon';
import { type Harness, startHarness } from '../testing/harness';

/** Three days of crypto bars: 864 5-minute bars (9 pages of 96) or 72 hourly ones (1 page) per unit. */
const DAYS = { start_date: '2024-03-04', end_date: '2024-03-06' };
const FROM = Date.UTC(2024, 2, 4);
const TO = Date.UTC(2024, 2, 7);
const STEP = { '5m': 300_000, '1h': 3_600_000 } as const;
const ticker = (symbol: string) => `X:${symbol.replace('-', '')}`;

describe.each(testEngines())('chaos: provider storms through a fake Polygon on %s', (engine) => {
  let h: Harness;
  let fake: FakePolygon;
  let fault: (req: AggsRequest) => Fault | undefined = () => undefined;

  beforeAll(async () => {
    fake = await startFakePolygon({ pageSize: 96, fault: (req) => fault(req) });
    // A Retry-After over 1 s is not waited out inside a fetch: the job layer reschedules the unit.
    const provider = fake.provider({
      timeoutMs: 1000,
      retry: { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1000 },
    });
    h = await startHarness(engine, { provider });
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  const finished = (jobId: string) => finishedJob(h.test.database.db, jobId, 60_000);

  const requestsFor = (symbol: string) => fake.requests.filter((r) => r.ticker === ticker(symbol));

  it('429 storms with Retry-After, hung requests and dropped connections: retried, honoured, completed exactly', async () => {
    fault = (req) => {
      switch (req.ticker) {
        case 'X:STORMUSD': // The first page is refused twice, asking for a second's pause each time.
          return req.page === 0 && req.tries < 2
            ? { status: 429, json: { status: 'ERROR', error: 'Too many requests' }, headers: { 'retry-after': '1' } }
            : undefined;
        case 'X:WAITUSD': // The first page asks for longer than the client waits in place.
          return req.page === 0 && req.tries === 0
            ? { status: 429, json: { status: 'ERROR', error: 'Slow down' }, headers: { 'retry-after': '2' } }
            : undefined;
        case 'X:SLOWUSD': // Two pages never answer the first time.
          return req.tries === 0 && (req.page === 0 || req.page === 4) ? { hang: true } : undefined;
        case 'X:RESETUSD':
          return req.tries === 0 ? { reset: true } : undefined;
        default:
          return undefined;
      }
    };
    const before = new Map(fake.faults);
    const { job_id } = await h.caller.backfill.create({
      symbols: ['STORM-USD', 'WAIT-USD', 'SLOW-USD', 'RESET-USD'],
      timeframes: ['5m', '1h'],
      ...DAYS,
    });
    const s = await finished(job_id);
    fault = () => undefined;
    expect(s.status, JSON.stringify(s.details.filter((d) => d.status !== 'completed'))).toBe('completed');
    for (const symbol of ['STORM-USD', 'WAIT-USD', 'SLOW-USD', 'RESET-USD']) {
      for (const tf of ['5m', '1h'] as const) {
        expect(await storedBars(h.test.database.db, symbol, tf)).toEqual(
          servedSeries(ticker(symbol), STEP[tf], FROM, TO),
        );
      }
    }
    expect(s.total_records_inserted).toBe(4 * (864 + 72));

    // Retry-After honoured inside the client: no retry of a refused URL came sooner than a second.
    const storm = requestsFor('STORM-USD').filter((r) => r.tries > 0);
    for (const r of storm) {
      const previous = fake.requests.find((p) => p.url.href === r.url.href && p.tries === r.tries - 1);
      expect(r.at - (previous?.at ?? 0)).toBeGreaterThanOrEqual(990);
    }
    // A longer Retry-After goes up to the job layer, which reschedules the unit no sooner than asked.
    const events = await allEvents(h.test.database.db, job_id);
    const waits = events.filter((e) => e.kind === 'unit_retrying');
    expect(waits.map((e) => e.symbol)).toEqual(['WAIT-USD', 'WAIT-USD']);
    for (const w of waits) {
      expect(w.message).toMatch(/Polygon asked us to wait 2 s before trying again \(HTTP 429 Too Many Requests\)/);
      expect(Number(w.data?.delay_ms)).toBeGreaterThanOrEqual(2000);
    }
    for (const tf of ['5m', '1h']) {
      const asked = requestsFor('WAIT-USD').filter((r) =>
        r.url.pathname.includes(tf === '5m' ? '/5/minute/' : '/1/hour/'),
      );
      const [first, second] = asked;
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1990);
    }
    expect(s.details.filter((d) => d.symbol === 'WAIT-USD').map((d) => d.attempts)).toEqual([2, 2]);
    expect(s.details.filter((d) => d.symbol !== 'WAIT-USD').every((d) => d.attempts === 1)).toBe(true);

    const injected = [...fake.faults].map(([kind, n]) => `${n - (before.get(kind) ?? 0)} ${kind}`).join(', ');
    console.log(
      `[${engine}] provider storm: injected ${injected}; the job completed with all ${s.total_records_inserted} candles`,
    );
  });

  it('malformed pages, a refused plan and broken bars: failed with clear messages, nothing half-written', async () => {
    fault = (req) => {
      if (req.ticker === 'X:HTMLUSD' && req.page === 2) {
        return { status: 200, text: '<html><body><h1>502 Bad Gateway</h1></body></html>', label: 'html' };
      }
      if (req.ticker === 'X:SHAPEUSD') {
        const results = servedSeries('X:SHAPEUSD', STEP['1h'], FROM, TO).map((b) => ({
          t: b.ts,
          o: b.open,
          c: b.close,
          h: b.high,
          l: b.low,
          v: b.volume,
        }));
        const broken = results.map((b, i) => (i === 5 ? { ...b, h: 'n/a' } : b));
        return {
          status: 200,
          json: { status: 'OK', resultsCount: broken.length, results: broken },
          label: 'bad shape',
        };
      }
      if (req.ticker === 'X:PLANUSD') {
        return {
          status: 403,
          json: { status: 'NOT_AUTHORIZED', message: 'You are not entitled to this data. Please upgrade your plan.' },
        };
      }
      return undefined;
    };
    const before = new Map(fake.faults);
    const { job_id } = await h.caller.backfill.create({
      symbols: ['HTML-USD', 'SHAPE-USD', 'PLAN-USD', 'FINE-USD'],
      timeframes: ['5m', '1h'],
      ...DAYS,
    });
    const s = await finished(job_id);
    fault = () => undefined;
    expect(s.status).toBe('failed');
    expect(s.error).toBe('5 of 8 units failed');
    const unit = (symbol: string, tf: string) => s.details.find((d) => d.symbol === symbol && d.timeframe === tf);

    // Two good pages of HTML-USD 5m, then the broken one three times: the good pages stay, whole.
    expect(unit('HTML-USD', '5m')).toMatchObject({ status: 'failed', attempts: 1, records_inserted: 192 });
    expect(unit('HTML-USD', '5m')?.error_message).toBe(
      'Got a malformed response from Polygon 3 times (not JSON: "<html><body><h1>502 Bad Gateway</h1></body></html>"); a proxy may be in the way, or the API has changed',
    );
    expect(await storedBars(h.test.database.db, 'HTML-USD', '5m')).toEqual(
      servedSeries('X:HTMLUSD', STEP['5m'], FROM, FROM + 192 * STEP['5m']),
    );
    expect(unit('HTML-USD', '1h')).toMatchObject({ status: 'completed', records_inserted: 72 });

    for (const tf of ['5m', '1h']) {
      expect(unit('SHAPE-USD', tf)).toMatchObject({ status: 'failed', attempts: 1, records_inserted: 0 });
      expect(unit('SHAPE-USD', tf)?.error_message).toMatch(
        /^Got a malformed response from Polygon 3 times \(result 5 has no numeric "h"\)/,
      );
      expect(unit('PLAN-USD', tf)).toMatchObject({ status: 'failed', attempts: 1, records_inserted: 0 });
      expect(unit('PLAN-USD', tf)?.error_message).toBe(
        'Polygon rejected the API key (403): check POLYGON_API_KEY and that your plan covers this data (Polygon says: You are not entitled to this data. Please upgrade your plan.)',
      );
      expect(unit('FINE-USD', tf)).toMatchObject({ status: 'completed', attempts: 1 });
    }
    expect(await storedBars(h.test.database.db, 'SHAPE-USD', '1h')).toEqual([]);
    expect(await storedBars(h.test.database.db, 'PLAN-USD', '1h')).toEqual([]);
    // A refused plan is not retried; a malformed answer three times at most.
    expect(requestsFor('PLAN-USD')).toHaveLength(2);
    expect(requestsFor('SHAPE-USD')).toHaveLength(6);
    expect(s.total_records_inserted).toBe(192 + 72 + 864 + 72);
    const kinds = (await allEvents(h.test.database.db, job_id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'unit_failed')).toHaveLength(5);
    expect(kinds.at(-1)).toBe('job_failed');

    const injected = [...fake.faults]
      .map(([kind, n]) => `${n - (before.get(kind) ?? 0)} ${kind}`)
      .filter((t) => !t.startsWith('0 '))
      .join(', ');
    console.log(
      `[${engine}] broken provider: injected ${injected}; 5 of 8 units failed with clear messages, ${s.total_records_inserted} good candles kept`,
    );
  });
});
