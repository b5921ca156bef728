import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedJob } from '../testing/backfill-checks';
import { type Harness, startHarness } from '../testing/harness';

const CLEAN = [
  'Date,Time,Open,High,Low,Close,Volume',
  '2024.01.02,00:00,42000,42500,41800,42300,12.5',
  '2024.01.02,01:00,42300,42600,42100,42400,10.25',
  '2024.01.02,02:00,42400,42700,42200,42600,9',
].join('\r\n');
// Line 3 has a high below its close: refused, with its line number.
const BROKEN = [
  'timestamp,open,high,low,close,volume',
  '2024-01-02T00:00:00Z,1,2,0.5,1.5,10',
  '2024-01-02T01:00:00Z,1,1.2,0.5,1.5,10',
].join('\n');

describe.each(testEngines())('CSV uploads at /api/v1/uploads on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine, { env: { UPLOAD_MAX_MB: '1' } });
  });
  afterAll(() => h?.close());

  const upload = async (text: string | Blob, filename = 'BTC-USD_1h.csv') => {
    const res = await fetch(`${h.url}/api/v1/uploads?filename=${encodeURIComponent(filename)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: text,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const q = (symbol: string, timeframe: string, timezone?: string) =>
    `symbol=${symbol}&timeframe=${timeframe}${timezone ? `&timezone=${encodeURIComponent(timezone)}` : ''}`;

  it('previews a MetaTrader file as it will be stored, then imports it as a backfill from the upload provider', async () => {
    const created = await upload(CLEAN);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ filename: 'BTC-USD_1h.csv', bytes: Buffer.byteLength(CLEAN) });
    const id = String(created.body.upload_id);

    const noZone = (await (await fetch(`${h.url}/api/v1/uploads/${id}/preview?${q('BTC-USD', '1h')}`)).json()) as {
      errors: { line: number; reason: string }[];
    };
    expect(noZone.errors[0]?.reason).toMatch(/choose the time zone its times are written in/);

    const res = await fetch(`${h.url}/api/v1/uploads/${id}/preview?${q('btc-usd', '1h', 'Europe/Berlin')}`);
    expect(res.status).toBe(200);
    const preview = (await res.json()) as Record<string, unknown>;
    expect(preview).toMatchObject({
      symbol: 'BTC-USD',
      timeframe: '1h',
      layout: 'metatrader4',
      timezone: 'Europe/Berlin',
      rows: 3,
      first: '2024-01-01T23:00:00.000Z',
      last: '2024-01-02T01:00:00.000Z',
      error_count: 0,
      errors: [],
    });
    expect((preview.sample as unknown[])[0]).toEqual({
      ts: '2024-01-01T23:00:00.000Z',
      open: 42000,
      high: 42500,
      low: 41800,
      close: 42300,
      volume: 12.5,
    });

    const imported = await fetch(`${h.url}/api/v1/uploads/${id}/import?${q('BTC-USD', '1h', 'Europe/Berlin')}`, {
      method: 'POST',
    });
    expect(imported.status).toBe(200);
    const job = (await imported.json()) as { job_id: string };
    const status = await finishedJob(h.test.database.db, job.job_id);
    expect(status.status).toBe('completed');
    expect(status.details.map((d) => [d.provider, d.records_inserted])).toEqual([['upload', 3]]);
    const stored = await queryRows<{ ts: string; close: number; source: string }>(
      h.test.database.db,
      sql`select to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as ts, close, source from candles order by ts`,
    );
    expect(stored).toEqual([
      { ts: '2024-01-01T23:00', close: 42300, source: 'upload' },
      { ts: '2024-01-02T00:00', close: 42400, source: 'upload' },
      { ts: '2024-01-02T01:00', close: 42600, source: 'upload' },
    ]);
    // The new symbol got its provider by the rule, not the upload's.
    expect((await h.caller.symbols.get({ symbol: 'BTC-USD' })).provider).toBe('synthetic');
    // Imported once: the staged upload is gone.
    expect((await fetch(`${h.url}/api/v1/uploads/${id}/preview?${q('BTC-USD', '1h', 'UTC')}`)).status).toBe(404);
  });

  it('lists refused rows with their line numbers, and refuses to import such a file, storing nothing', async () => {
    const before = await queryRows<{ n: number }>(h.test.database.db, sql`select count(*)::int as n from candles`);
    const { body } = await upload(BROKEN, 'ETH-USD_1h.csv');
    const id = String(body.upload_id);
    const preview = (await (await fetch(`${h.url}/api/v1/uploads/${id}/preview?${q('ETH-USD', '1h')}`)).json()) as {
      rows: number;
      errors: { line: number; reason: string }[];
      error_count: number;
    };
    expect(preview.rows).toBe(1);
    expect(preview.error_count).toBe(1);
    expect(preview.errors[0]?.line).toBe(3);
    const refused = await fetch(`${h.url}/api/v1/uploads/${id}/import?${q('ETH-USD', '1h')}`, { method: 'POST' });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain('has 1 refused row (line 3');
    const after = await queryRows<{ n: number }>(h.test.database.db, sql`select count(*)::int as n from candles`);
    expect(after).toEqual(before);
  });

  it('answers 413 in words past UPLOAD_MAX_MB, and 422 for bad settings', async () => {
    const big = new Blob(['A'.repeat(1024 * 1024 + 1)]);
    const tooBig = await upload(big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.detail).toBe(
      'The file is larger than 1 MB, the most this server accepts (UPLOAD_MAX_MB); split it and upload the parts',
    );
    const { body } = await upload(CLEAN);
    const bad = await fetch(
      `${h.url}/api/v1/uploads/${String(body.upload_id)}/preview?${q('BTC-USD', '2h', 'Mars/Base')}`,
    );
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('Unknown timeframe \\"2h\\"');
    const zone = await fetch(
      `${h.url}/api/v1/uploads/${String(body.upload_id)}/preview?${q('BTC-USD', '1h', 'Mars/Base')}`,
    );
    expect(zone.status).toBe(422);
    expect(JSON.stringify(await zone.json())).toContain('\\"Mars/Base\\" is not a time zone');
    expect((await fetch(`${h.url}/api/v1/uploads/not-an-id/preview?${q('BTC-USD', '1h')}`)).status).toBe(422);
  });

  it('keeps an upload whose job is refused (a range longer than MAX_RANGE_DAYS), so it can be tried again', async () => {
    const long = [
      'timestamp,open,high,low,close,volume',
      '2020-01-01T00:00:00Z,1,2,0.5,1.5,10',
      '2024-01-01T00:00:00Z,1,2,0.5,1.5,10',
    ].join('\n');
    const { body } = await upload(long, 'LONG-USD_5m.csv');
    const id = String(body.upload_id);
    const tooLong = await fetch(`${h.url}/api/v1/uploads/${id}/import?${q('LONG-USD', '5m')}`, { method: 'POST' });
    expect(tooLong.status).toBe(422);
    expect(JSON.stringify(await tooLong.json())).toContain('A 5m backfill can cover at most 731 days');
    expect((await fetch(`${h.url}/api/v1/uploads/${id}/preview?${q('LONG-USD', '5m')}`)).status).toBe(200);
  });
});

describe('CSV uploads with an API token', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('pglite', { env: { API_TOKEN: 'a-long-test-token' } });
  });
  afterAll(() => h?.close());

  it('needs the token to upload and to import, and refuses another origin', async () => {
    const anonymous = await fetch(`${h.url}/api/v1/uploads?filename=A_1d.csv`, { method: 'POST', body: CLEAN });
    expect(anonymous.status).toBe(401);
    const crossSite = await fetch(`${h.url}/api/v1/uploads?filename=A_1d.csv`, {
      method: 'POST',
      headers: { authorization: 'Bearer a-long-test-token', origin: 'https://evil.example' },
      body: CLEAN,
    });
    expect(crossSite.status).toBe(403);
    const ok = await fetch(`${h.url}/api/v1/uploads?filename=A_1d.csv`, {
      method: 'POST',
      headers: { authorization: 'Bearer a-long-test-token' },
      body: CLEAN,
    });
    expect(ok.status).toBe(200);
    const { upload_id } = (await ok.json()) as { upload_id: string };
    const importing = await fetch(`${h.url}/api/v1/uploads/${upload_id}/import?symbol=A&timeframe=1h`, {
      method: 'POST',
    });
    expect(importing.status).toBe(401);
  });
});
