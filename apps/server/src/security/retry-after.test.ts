import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';

const REQUEST = { symbols: ['AAPL'], timeframes: ['1d'], start_date: '2024-01-02', end_date: '2024-01-03' };

// One domain error, one map: the tRPC transport answers a rate limit as REST does, Retry-After included.
describe('a rate-limited backfill.create over tRPC', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('pglite', { env: { BACKFILL_RATE_PER_MINUTE: '2', WORKER_ENABLED: 'false' } });
  });
  afterAll(async () => h?.close());

  it('gets a 429 with Retry-After and a sentence', async () => {
    const answers: { status: number; retryAfter: string | null; message: string | undefined }[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${h.url}/trpc/backfill.create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(REQUEST),
      });
      const body = (await res.json()) as { error?: { message: string; data: { code: string } } };
      answers.push({ status: res.status, retryAfter: res.headers.get('retry-after'), message: body.error?.message });
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(answers[0]?.retryAfter).toBeNull();
    const limited = answers[2];
    expect(Number(limited?.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(limited?.retryAfter)).toBeLessThanOrEqual(60);
    expect(limited?.message).toMatch(/backfills/);
  });
});
