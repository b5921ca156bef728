import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { start } from '../start';
import { type Harness, startHarness } from '../testing/harness';

const CLASSIC = 'symbols=AAPL&start_date=2024-01-02&end_date=2024-01-03&timeframes=1d';

describe('security without a token', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('pglite', {
      env: { BACKFILL_RATE_PER_MINUTE: '3', MAX_RANGE_DAYS: '5m=30', WORKER_ENABLED: 'false' },
    });
  });
  afterAll(async () => h?.close());

  it('sends a CSP without inline scripts, nosniff, no framing and no referrer', async () => {
    const res = await fetch(`${h.url}/api/v1/backfill/recent`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('refuses state changes from another origin, accepts its own', async () => {
    const evil = await fetch(`${h.url}/api/v1/backfill?${CLASSIC}`, {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
    });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { detail: string }).detail).toMatch(/Cross-site/);
    const form = await fetch(`${h.url}/trpc/backfill.create`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' },
      body: JSON.stringify({ symbols: ['AAPL'], timeframes: ['1d'] }),
    });
    expect(form.status).toBe(403);
    const own = await fetch(`${h.url}/api/v1/backfill?${CLASSIC}`, { method: 'POST', headers: { origin: h.url } });
    expect(own.status).toBe(200);
  });

  it('keeps CORS closed by default', async () => {
    const pre = await fetch(`${h.url}/api/v1/backfill`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits the range per timeframe with a clear 422', async () => {
    const res = await fetch(
      `${h.url}/api/v1/backfill?symbols=AAPL&timeframes=5m&start_date=2024-01-01&end_date=2024-03-01`,
      { method: 'POST' },
    );
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: { msg: string }[] }).detail[0]?.msg).toBe(
      'A 5m backfill can cover at most 30 days (this one covers 61); split the range',
    );
  });

  it('rate-limits job creation per client with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${h.url}/api/v1/backfill?${CLASSIC}`, { method: 'POST' });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    // One job was created by the origin test above: two more fit in the window of three.
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('refuses an oversized body with 413 and a sentence', async () => {
    const res = await fetch(`${h.url}/api/v1/backfill`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ symbols: Array.from({ length: 40_000 }, (_, i) => `S${i}`) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { detail: string }).detail).toBe('The request body is too large');
  });
});

describe('security with API_TOKEN', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('pglite', {
      env: { API_TOKEN: 's3cret-token', MAX_ACTIVE_JOBS: '1', WORKER_ENABLED: 'false' },
    });
  });
  afterAll(async () => h?.close());

  it('needs the token for every mutation, REST and tRPC, but not for reads', async () => {
    expect((await fetch(`${h.url}/api/v1/backfill?${CLASSIC}`, { method: 'POST' })).status).toBe(401);
    expect(
      (
        await fetch(`${h.url}/api/v1/backfill?${CLASSIC}`, {
          method: 'POST',
          headers: { authorization: 'Bearer wrong' },
        })
      ).status,
    ).toBe(401);
    const trpc = await fetch(`${h.url}/trpc/backfill.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ symbols: ['AAPL'], timeframes: ['1d'] }),
    });
    expect(trpc.status).toBe(401);
    expect((await fetch(`${h.url}/trpc/symbols.list`)).status).toBe(200);
    const ok = await fetch(`${h.url}/api/v1/backfill?${CLASSIC}`, {
      method: 'POST',
      headers: { authorization: 'Bearer s3cret-token' },
    });
    expect(ok.status).toBe(200);
  });

  it('caps queued and running jobs with a clear message', async () => {
    const res = await fetch(`${h.url}/api/v1/backfill?${CLASSIC}`, {
      method: 'POST',
      headers: { authorization: 'Bearer s3cret-token' },
    });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/already queued or running \(the limit is 1\)/);
  });
});

describe('start-up guards', () => {
  it('refuses a non-loopback HOST without a token, saying how to set one', async () => {
    const config = loadConfig({ HOST: '0.0.0.0', PORT: '0', PGLITE_DIR: 'memory://' });
    await expect(start(config, { http: true })).rejects.toThrow(/set API_TOKEN=/);
  });

  it('needs the token on reads when AUTH_READS is set', async () => {
    const h = await startHarness('pglite', { env: { API_TOKEN: 't', AUTH_READS: 'true', WORKER_ENABLED: 'false' } });
    try {
      expect((await fetch(`${h.url}/trpc/symbols.list`)).status).toBe(401);
      expect((await fetch(`${h.url}/trpc/symbols.list`, { headers: { authorization: 'Bearer t' } })).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
