import { afterEach, describe, expect, it } from 'vitest';
import type { BudgetSpec } from './budget';
import { createJsonClient } from './http';
import { createMemoryBudget } from './memory-budget';
import { backoffDelay, parseRetryAfter } from './retry';
import { sleep } from './sleep';
import { type FakeServer, sendJson, sendText, startFakeServer } from './testing/fake-server';
import { ProviderError, type RetryInfo } from './types';

const FAST = { baseDelayMs: 5, maxDelayMs: 20 };
let server: FakeServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('retry math', () => {
  it('draws full-jitter delays below a ceiling that doubles up to the cap', () => {
    const options = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, options))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, { ...options, random: () => 0 })).toBe(0);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-02T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Mon, 02 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 02 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('sleep', () => {
  it('rejects with the reason the moment the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('cancelled')), 10);
    await expect(sleep(10_000, controller.signal)).rejects.toThrow('cancelled');
    expect(Date.now() - started).toBeLessThan(500);
  });
});

const SLIDING: BudgetSpec = {
  provider: 'acme',
  key: 'k',
  limit: 3,
  windowMs: 60_000,
  window: 'sliding',
  unit: 'requests',
};

describe('createMemoryBudget', () => {
  it('never lets more than the limit through in any window (fake clock)', async () => {
    let clock = 0;
    const limiter = createMemoryBudget(SLIDING, {
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    const granted: number[] = [];
    for (let i = 0; i < 8; i++) {
      await limiter.take(1);
      granted.push(clock);
      clock += 1000;
    }
    expect(granted).toEqual([0, 1000, 2000, 60_000, 61_000, 62_000, 120_000, 121_000]);
  });

  it('lets a waiter abort at once, and the queue behind it carry on', async () => {
    const limiter = createMemoryBudget({ ...SLIDING, limit: 1, windowMs: 150 });
    await limiter.take(1);
    const controller = new AbortController();
    const aborted = limiter.take(1, controller.signal);
    const next = limiter.take(1);
    const started = Date.now();
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(50);
    await next;
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });
});

describe('createJsonClient', () => {
  it('retries a reset connection and reports each retry before waiting', async () => {
    server = await startFakeServer((_req, res, index) => {
      if (index === 0) res.socket?.destroy();
      else sendJson(res, 200, { ok: true });
    });
    const retries: RetryInfo[] = [];
    const client = createJsonClient({ provider: 'Acme', retry: { ...FAST, random: () => 0.5 } });
    const body = await client.getJson({
      url: new URL(server.baseUrl),
      parse: (b) => b,
      onRetry: (info) => retries.push(info),
    });
    expect(body).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
    expect(retries).toEqual([{ attempt: 1, delayMs: 2, reason: expect.stringMatching(/^network error/) }]);
  });

  it('gives up after maxAttempts with a retryable error that names the last failure', async () => {
    server = await startFakeServer((_req, res) => sendText(res, 502, '<html>Bad gateway</html>'));
    const client = createJsonClient({ provider: 'Acme', retry: { ...FAST, maxAttempts: 3 } });
    const error = await rejection(client.getJson({ url: new URL(server.baseUrl), parse: (b) => b }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      retryable: true,
      status: 502,
      message: 'Acme still failed after 3 attempts (last: HTTP 502 Bad Gateway); try again later',
    });
    expect(server.requests).toHaveLength(3);
  });

  it('does not wait out a Retry-After beyond maxRetryAfterMs but hands it up', async () => {
    server = await startFakeServer((_req, res) => sendJson(res, 429, {}, { 'retry-after': '3600' }));
    const client = createJsonClient({ provider: 'Acme', retry: FAST });
    const error = await rejection(client.getJson({ url: new URL(server.baseUrl), parse: (b) => b }));
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 3_600_000 });
    expect(server.requests).toHaveLength(1);
  });

  it('a 429 pauses every client on the budget, and a long Retry-After still records the pause', async () => {
    server = await startFakeServer((_req, res, index) => {
      if (index === 0) sendJson(res, 429, {}, { 'retry-after': '1' });
      else if (index === 2) sendJson(res, 429, {}, { 'retry-after': '3600' });
      else sendJson(res, 200, { ok: true });
    });
    let clock = 0;
    const waits: number[] = [];
    const budget = createMemoryBudget(
      { ...SLIDING, limit: 100 },
      {
        now: () => clock,
        sleep: async (ms) => {
          waits.push(ms);
          clock += ms;
        },
      },
    );
    const url = new URL(server.baseUrl);
    const a = createJsonClient({ provider: 'Acme', retry: { ...FAST, maxAttempts: 1 }, budget });
    const b = createJsonClient({ provider: 'Acme', retry: FAST, budget });
    await rejection(a.getJson({ url, parse: (x) => x }));
    expect(await budget.usage()).toMatchObject({ pausedUntil: 1000 });
    // The other client on the key waits the pause out before its request goes.
    expect(await b.getJson({ url, parse: (x) => x })).toEqual({ ok: true });
    expect(waits).toEqual([1000]);
    expect(server.requests).toHaveLength(2);
    const error = await rejection(b.getJson({ url, parse: (x) => x }));
    expect(error).toMatchObject({ retryAfterMs: 3_600_000 });
    expect(await budget.usage()).toMatchObject({ pausedUntil: 1000 + 3_600_000 });
  });

  it('turns other 4xx answers into a non-retryable error quoting the server', async () => {
    server = await startFakeServer((_req, res) => sendJson(res, 400, { message: 'from must be before to' }));
    const client = createJsonClient({ provider: 'Acme', retry: FAST });
    const error = await rejection(client.getJson({ url: new URL(server.baseUrl), parse: (b) => b }));
    expect(error).toMatchObject({
      retryable: false,
      status: 400,
      message: 'Acme refused the request (HTTP 400 Bad Request): from must be before to',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('stops a backoff the moment the caller aborts, with the caller reason', async () => {
    server = await startFakeServer((_req, res) => sendJson(res, 500, {}));
    const client = createJsonClient({
      provider: 'Acme',
      retry: { baseDelayMs: 60_000, maxDelayMs: 60_000, random: () => 1 },
    });
    const controller = new AbortController();
    const started = Date.now();
    const pending = client.getJson({
      url: new URL(server.baseUrl),
      parse: (b) => b,
      signal: controller.signal,
      onRetry: () => controller.abort(new Error('job cancelled')),
    });
    await expect(pending).rejects.toThrow('job cancelled');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
  });

  it('stops a hung request the moment the caller aborts, without retrying', async () => {
    server = await startFakeServer(() => undefined);
    const client = createJsonClient({ provider: 'Acme', timeoutMs: 30_000, retry: FAST });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('job cancelled')), 50);
    await expect(
      client.getJson({ url: new URL(server.baseUrl), parse: (b) => b, signal: controller.signal }),
    ).rejects.toThrow('job cancelled');
    expect(server.requests).toHaveLength(1);
  });
});
