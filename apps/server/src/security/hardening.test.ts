import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { rawRequest } from '../testing/raw-http';
import { tokenMatches } from './auth';
import { isAllowedHost } from './hosts';

const CLASSIC = 'symbols=REBIND&start_date=2024-01-02&end_date=2024-01-03&timeframes=1d';

describe('the Host allow-list', () => {
  it('knows the loopback names with any port, configured names, and nothing else', () => {
    for (const host of ['127.0.0.1', '127.0.0.1:3000', 'localhost:5173', 'LOCALHOST', '[::1]:3000']) {
      expect(isAllowedHost(host, []), host).toBe(true);
    }
    for (const host of ['evil.example:3303', 'evil.example', '127.0.0.1.evil.example', 'localhost.evil', '', ' ']) {
      expect(isAllowedHost(host, []), host).toBe(false);
    }
    expect(isAllowedHost(undefined, [])).toBe(false);
    expect(isAllowedHost('candles.example.com:8443', ['candles.example.com'])).toBe(true);
    expect(isAllowedHost('10.0.0.5:3000', ['10.0.0.5:3000'])).toBe(true);
    expect(isAllowedHost('10.0.0.5:3001', ['10.0.0.5:3000'])).toBe(false);
  });
});

describe.each(testEngines())('DNS rebinding: a request naming a foreign Host on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine, { env: { WORKER_ENABLED: 'false', ALLOWED_HOSTS: 'candles.example.com' } });
    await h.caller.symbols.add({ symbol: 'AAPL' });
  });
  afterAll(async () => h?.close());

  const port = () => new URL(h.url).port;
  const rebound = () => ({ host: `evil.example:${port()}`, origin: `http://evil.example:${port()}` });

  it('cannot create a job, nor remove a symbol, nor read: 421 with a sentence, nothing changed', async () => {
    const create = await rawRequest(`${h.url}/api/v1/backfill?${CLASSIC}`, { method: 'POST', headers: rebound() });
    expect(create.status).toBe(421);
    expect(JSON.parse(create.body).detail).toBe(
      `This server does not answer to the host name "evil.example:${port()}": if it is one of its names, add it to ALLOWED_HOSTS`,
    );
    const remove = await rawRequest(`${h.url}/trpc/symbols.remove`, {
      method: 'POST',
      headers: { ...rebound(), 'content-type': 'application/json' },
      body: JSON.stringify({ symbol: 'AAPL' }),
    });
    expect(remove.status).toBe(421);
    const read = await rawRequest(`${h.url}/api/v1/backfill/recent`, { headers: { host: 'evil.example' } });
    expect(read.status).toBe(421);
    const jobs = await queryRows<{ n: number }>(h.test.database.db, sql`select count(*)::int as n from backfill_jobs`);
    expect(jobs[0]?.n).toBe(0);
    expect((await h.caller.symbols.get({ symbol: 'AAPL' })).symbol).toBe('AAPL');
  });

  it('is refused before its body is read: a huge declared body gets the 421, not a 413', async () => {
    const res = await rawRequest(`${h.url}/api/v1/backfill`, {
      method: 'POST',
      headers: { host: 'evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ symbols: Array.from({ length: 40_000 }, (_, i) => `S${i}`) }),
    });
    expect(res.status).toBe(421);
  });

  it('answers its loopback names and ALLOWED_HOSTS, and still refuses another Origin', async () => {
    expect((await rawRequest(`${h.url}/api/v1/health`, { headers: { host: `localhost:${port()}` } })).status).toBe(200);
    expect((await rawRequest(`${h.url}/api/v1/health`, { headers: { host: 'candles.example.com' } })).status).toBe(200);
    const crossSite = await rawRequest(`${h.url}/api/v1/backfill?${CLASSIC}`, {
      method: 'POST',
      headers: { host: `127.0.0.1:${port()}`, origin: 'http://evil.example' },
    });
    expect(crossSite.status).toBe(403);
  });
});

describe.each(testEngines())('with API_TOKEN and AUTH_READS on %s', (engine) => {
  let h: Harness;
  let jobId = '';
  const auth = { authorization: 'Bearer read-token' };
  beforeAll(async () => {
    h = await startHarness(engine, {
      env: { API_TOKEN: 'read-token', AUTH_READS: 'true', WORKER_ENABLED: 'false' },
    });
    jobId = (await h.caller.backfill.create({ symbols: ['AAPL'], timeframes: ['1d'] })).job_id;
  });
  afterAll(async () => h?.close());

  it('refuses every REST read without the token, answers it with the token; health stays public', async () => {
    for (const path of [
      '/api/v1/backfill/recent',
      `/api/v1/backfill/status/${jobId}`,
      '/api/v1/anything-added-later',
    ]) {
      const res = await fetch(`${h.url}${path}`);
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as { detail: string }).detail).toBe(
        'This server needs the API token for reads too (Authorization: Bearer …)',
      );
    }
    expect((await fetch(`${h.url}/api/v1/backfill/recent`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${h.url}/api/v1/backfill/status/${jobId}`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${h.url}/api/v1/health`)).status).toBe(200);
  });

  it('takes a token from the URL (connectionParams) for the subscription only', async () => {
    const params = encodeURIComponent(JSON.stringify({ token: 'read-token' }));
    const viaParams = await fetch(
      `${h.url}/trpc/backfill.recent?connectionParams=${params}&input=${encodeURIComponent('{}')}`,
    );
    expect(viaParams.status).toBe(401);
    const sub = await fetch(
      `${h.url}/trpc/backfill.onProgress?connectionParams=${params}&input=${encodeURIComponent(JSON.stringify({ jobId }))}`,
      { headers: { accept: 'text/event-stream' } },
    );
    expect(sub.status).toBe(200);
    await sub.body?.cancel();
  });
});

describe.each(testEngines())('amplification through tRPC batches on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine, { env: { WORKER_ENABLED: 'false' } });
  });
  afterAll(async () => h?.close());

  const batch = (n: number) =>
    `${h.url}/trpc/${Array.from({ length: n }, () => 'system.checks').join(',')}?batch=1&input=${encodeURIComponent('{}')}`;

  it('refuses a 50-call batch with a 400 that says why, before running any of it', async () => {
    const res = await fetch(batch(50));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('A batch may hold at most 20 calls; split it');
  });

  it('runs the checks once for a batch of 20, and a client that asks too often gets 429 with Retry-After', async () => {
    const res = await fetch(batch(20));
    expect(res.status).toBe(200);
    const answers = (await res.json()) as { result: { data: { ran_at: string } } }[];
    expect(answers).toHaveLength(20);
    // One run shared by the 20 calls: one ran_at.
    expect(new Set(answers.map((a) => a.result.data.ran_at)).size).toBe(1);
    // 10 more fit in the minute's 30: a mixed answer, then nothing.
    const mixed = await fetch(batch(20));
    expect(mixed.status).toBe(207);
    expect(Number(mixed.headers.get('retry-after'))).toBeGreaterThan(0);
    const again = await fetch(batch(20));
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await again.text()).toMatch(/Too many runs of the checks: at most 30 per 60 s; try again in \d+ s/);
  });
});

describe('tokenMatches', () => {
  it('compares digests: any lengths, no early exit, only the exact token', () => {
    expect(tokenMatches('s3cret-token', 's3cret-token')).toBe(true);
    for (const given of ['', 's', 's3cret-toke', 's3cret-tokenX', 'S3CRET-TOKEN', 'x'.repeat(10_000)]) {
      expect(tokenMatches('s3cret-token', given), given.slice(0, 20)).toBe(false);
    }
  });
});

describe.each(testEngines())('the progress stream on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine, { env: { WORKER_ENABLED: 'false', CORS_ORIGINS: 'http://app.example' } });
  });
  afterAll(async () => h?.close());

  it('keeps the CORS and security headers of every other answer', async () => {
    const { job_id } = await h.caller.backfill.create({ symbols: ['CORS'], timeframes: ['1d'] });
    const res = await fetch(
      `${h.url}/trpc/backfill.onProgress?input=${encodeURIComponent(JSON.stringify({ jobId: job_id }))}`,
      { headers: { accept: 'text/event-stream', origin: 'http://app.example' } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('access-control-allow-origin')).toBe('http://app.example');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    await res.body?.cancel();
  });
});
