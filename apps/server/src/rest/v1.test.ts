import { testEngines } from '@candlebase/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, startHarness } from '../testing/harness';

describe.each(testEngines())('REST v1 on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(async () => h?.close());

  const post = (query: string, init: RequestInit = {}) =>
    fetch(`${h.url}/api/v1/backfill?${query}`, { method: 'POST', ...init });

  it('answers the classic request with the classic response, field for field', async () => {
    const res = await post('symbols=AAPL&symbols=GOOGL&start_date=2024-01-01&end_date=2024-01-31&timeframes=1h');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      'date_range',
      'job_id',
      'status',
      'symbols',
      'symbols_count',
      'timeframes',
      'timestamp',
    ]);
    expect(body).toMatchObject({
      status: 'queued',
      symbols_count: 2,
      symbols: ['AAPL', 'GOOGL'],
      date_range: { start: '2024-01-01', end: '2024-01-31' },
      timeframes: ['1h'],
    });
    expect(Number.isNaN(Date.parse(String(body.timestamp)))).toBe(false);

    const status = await eventually(async () => {
      const r = await fetch(`${h.url}/api/v1/backfill/status/${body.job_id}`);
      const s = (await r.json()) as Record<string, unknown>;
      return s.status === 'completed' ? s : null;
    });
    expect(status).toMatchObject({ job_id: body.job_id, progress_pct: 100, symbols_completed: 2, symbols_total: 2 });
    for (const key of ['current_symbol', 'total_records_inserted', 'details']) expect(status).toHaveProperty(key);
    const details = status.details as { symbol: string; timeframe: string; status: string; records_inserted: number }[];
    expect(details.map((d) => [d.symbol, d.timeframe, d.status])).toEqual([
      ['AAPL', '1h', 'completed'],
      ['GOOGL', '1h', 'completed'],
    ]);
    // January 2024: 21 NYSE trading days (New Year's Day and MLK Day closed) x 7 hourly bars.
    expect(details.map((d) => d.records_inserted)).toEqual([147, 147]);
    expect(status.total_records_inserted).toBe(294);
    // Added beside the classic fields: revisions, counted apart (none on a first fetch).
    expect(status.total_records_updated).toBe(0);
    expect((status.details as { records_updated: number }[]).map((d) => d.records_updated)).toEqual([0, 0]);

    const recent = (await (await fetch(`${h.url}/api/v1/backfill/recent?limit=10`)).json()) as { job_id: string }[];
    expect(recent[0]?.job_id).toBe(body.job_id);
  });

  it('accepts comma-separated lists and a JSON body', async () => {
    const a = (await (
      await post('symbols=msft,ibm&timeframes=1d,1h&start_date=2024-01-02&end_date=2024-01-03')
    ).json()) as Record<string, unknown>;
    expect(a).toMatchObject({ symbols: ['MSFT', 'IBM'], timeframes: ['1h', '1d'] });
    const b = await fetch(`${h.url}/api/v1/backfill`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ symbols: ['ORCL'], timeframes: ['1d'], start_date: '2024-01-02', end_date: '2024-01-05' }),
    });
    expect(b.status).toBe(200);
  });

  it('refuses bad input with 422 and every bad field named in words', async () => {
    const res = await post('symbols=&start_date=2024-02-01&end_date=2024-01-01');
    expect(res.status).toBe(422);
    const body = (await res.json()) as { detail: { loc: string[]; msg: string }[] };
    expect(body.detail.map((d) => d.msg).sort()).toEqual(
      ['No symbols selected', 'Please select at least one timeframe', 'Start date must be before end date'].sort(),
    );
    expect(body.detail.find((d) => d.msg === 'No symbols selected')?.loc).toEqual(['query', 'symbols']);

    const many = Array.from({ length: 101 }, (_, i) => `S${i}`).join(',');
    const tooMany = (await (await post(`symbols=${many}&timeframes=1h`)).json()) as { detail: { msg: string }[] };
    expect(tooMany.detail.map((d) => d.msg)).toEqual(['At most 100 symbols per backfill']);

    const empty = (await (await post('symbols=AAPL&timeframes=1h&start_date=&end_date=')).json()) as {
      detail: { msg: string }[];
    };
    expect(empty.detail.map((d) => d.msg)).toEqual(['Start date is required', 'End date is required']);

    const badTf = await post('symbols=AAPL&timeframes=2h');
    expect(badTf.status).toBe(422);
    const badSymbol = await post('symbols=$$$&timeframes=1h');
    expect(((await badSymbol.json()) as { detail: { msg: string }[] }).detail[0]?.msg).toMatch(
      /^Invalid symbol "\$\$\$"/,
    );
  });

  it('answers 404 for an unknown job, 422 for a malformed id or limit', async () => {
    const missing = await fetch(`${h.url}/api/v1/backfill/status/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { detail: string }).detail).toMatch(/was not found/);
    expect((await fetch(`${h.url}/api/v1/backfill/status/not-a-uuid`)).status).toBe(422);
    expect((await fetch(`${h.url}/api/v1/backfill/recent?limit=0`)).status).toBe(422);
    expect((await fetch(`${h.url}/api/v1/backfill/recent?limit=abc`)).status).toBe(422);
    expect((await fetch(`${h.url}/api/v1/backfill/recent?limit=101`)).status).toBe(422);
  });

  it('publishes an OpenAPI document and a docs page', async () => {
    const doc = (await (await fetch(`${h.url}/api/v1/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const text = JSON.stringify(doc);
    for (const field of ['total_records_inserted', 'total_records_updated', 'records_updated']) {
      expect(text).toContain(`"${field}"`);
    }
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/actions',
      '/api/v1/backfill',
      '/api/v1/backfill/preview',
      '/api/v1/backfill/recent',
      '/api/v1/backfill/status/{job_id}',
      '/api/v1/candles',
      '/api/v1/candles.csv',
      '/api/v1/candles.parquet',
      '/api/v1/uploads',
      '/api/v1/uploads/{id}/import',
      '/api/v1/uploads/{id}/preview',
    ]);
    const page = await fetch(`${h.url}/docs`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('/api/v1/backfill/status/{job_id}');
  });
});
