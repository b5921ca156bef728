import { testEngines } from '@candlebase/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { matchesEtag, SYMBOL_LIST_PATH } from './symbol-list-fast-path';

type Listed = { symbol: string; status: string }[];

describe.each(testEngines())('symbols.list over plain GET on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
    for (const symbol of ['AAA', 'BBB-USD']) await h.caller.symbols.add({ symbol });
  });
  afterAll(async () => h?.close());

  const get = (headers: Record<string, string> = {}) => fetch(`${h.url}${SYMBOL_LIST_PATH}`, { headers });
  /** The same procedure through tRPC's batch endpoint, which the fast path never answers. */
  const batched = async (): Promise<Listed> => {
    const res = await fetch(`${h.url}/trpc/symbols.list?batch=1&input=${encodeURIComponent('{}')}`);
    expect(res.headers.get('etag')).toBeNull();
    const [one] = (await res.json()) as [{ result: { data: Listed } }];
    return one.result.data;
  };

  it('answers as tRPC does, from one serialization, with an ETag and the security headers', async () => {
    const first = await get();
    expect(first.status).toBe(200);
    const second = await get();
    expect(second.status).toBe(200);
    const etag = second.headers.get('etag');
    expect(etag).toMatch(/^"symbols-[\w-]{22}"$/);
    expect(second.headers.get('cache-control')).toBe('private, no-cache');
    expect(second.headers.get('content-type')).toMatch(/^application\/json/);
    expect(second.headers.get('x-content-type-options')).toBe('nosniff');
    const body = (await second.json()) as { result: { data: Listed } };
    expect(body.result.data.map((s) => s.symbol)).toEqual(['AAA', 'BBB-USD']);
    expect(body.result.data).toEqual(await batched());
    expect((await first.json()) as unknown).toEqual(body);
  });

  it('a current copy gets a 304 without a body; a change makes a new tag and a full answer', async () => {
    await get();
    const tagged = await get();
    const etag = tagged.headers.get('etag') ?? '';
    await tagged.arrayBuffer();
    const unchanged = await get({ 'if-none-match': etag });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    // As proxies may pass it on: weakened, or in a list.
    expect((await get({ 'if-none-match': `W/${etag}` })).status).toBe(304);
    expect((await get({ 'if-none-match': `"other", ${etag}` })).status).toBe(304);

    await h.caller.symbols.add({ symbol: 'CCC' });
    const changed = await get({ 'if-none-match': etag });
    expect(changed.status).toBe(200);
    const body = (await changed.json()) as { result: { data: Listed } };
    expect(body.result.data.map((s) => s.symbol)).toEqual(['AAA', 'BBB-USD', 'CCC']);
    const again = await get();
    expect(again.headers.get('etag')).not.toBe(etag);
  });

  it('leaves every other request to tRPC: one with input, a POST', async () => {
    const withInput = await fetch(`${h.url}${SYMBOL_LIST_PATH}?input=${encodeURIComponent('{}')}`);
    expect(withInput.status).toBe(200);
    expect(withInput.headers.get('etag')).toBeNull();
    const post = await fetch(`${h.url}${SYMBOL_LIST_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(post.status).toBe(405);
    expect(post.headers.get('etag')).toBeNull();
  });
});

describe('symbols.list over plain GET with AUTH_READS', () => {
  it('a warm answer still goes only to token holders', async () => {
    const h = await startHarness('pglite', { env: { API_TOKEN: 't', AUTH_READS: 'true', WORKER_ENABLED: 'false' } });
    try {
      const url = `${h.url}${SYMBOL_LIST_PATH}`;
      const bearer = { authorization: 'Bearer t' };
      // Twice with the token: the second is the fast path's.
      expect((await fetch(url, { headers: bearer })).status).toBe(200);
      const warm = await fetch(url, { headers: bearer });
      expect(warm.status).toBe(200);
      expect(warm.headers.get('etag')).not.toBeNull();
      for (const headers of [{}, { authorization: 'Bearer wrong' }] as Record<string, string>[]) {
        const res = await fetch(url, { headers });
        expect(res.status).toBe(401);
        expect(res.headers.get('etag')).toBeNull();
      }
    } finally {
      await h.close();
    }
  });
});

describe('matchesEtag', () => {
  it('reads If-None-Match as a list of strong or weak tags', () => {
    expect(matchesEtag('"a"', '"a"')).toBe(true);
    expect(matchesEtag('W/"a"', '"a"')).toBe(true);
    expect(matchesEtag('"b" , "a"', '"a"')).toBe(true);
    expect(matchesEtag('*', '"a"')).toBe(true);
    expect(matchesEtag('"ab"', '"a"')).toBe(false);
    expect(matchesEtag(undefined, '"a"')).toBe(false);
    expect(matchesEtag('', '"a"')).toBe(false);
  });
});
