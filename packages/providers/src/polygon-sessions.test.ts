import { afterEach, describe, expect, it } from 'vitest';
import { createPolygonProvider } from './polygon';
import { polygonAggs, wireBar } from './testing/fake-polygon';
import { type FakeServer, startFakeServer } from './testing/fake-server';
import type { FetchCandlesRequest, ProviderCandle } from './types';

const KEY = 'test-key';
const HALF = 30 * 60_000;
// Wednesday 2024-11-27 (EST: the regular session is 14:30-21:00 UTC), then Friday 11-29, a 13:00 close.
const FROM = Date.UTC(2024, 10, 27);
const TO = Date.UTC(2024, 10, 30);

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function fetchAll(request: Partial<FetchCandlesRequest>, pageSize = 50_000) {
  server = await startFakeServer(polygonAggs({ apiKey: KEY, pageSize }));
  const provider = createPolygonProvider({ apiKey: KEY, baseUrl: server.baseUrl, requestsPerMinute: 1000 });
  const bars: ProviderCandle[] = [];
  const full = { symbol: 'AAPL', timeframe: '1h' as const, from: new Date(FROM), to: new Date(TO), ...request };
  for await (const page of provider.fetchCandles(full)) bars.push(...page);
  return { bars, paths: server.requests.map((r) => r.url.pathname) };
}

/** The fake's 30-minute bar at `t`, as the range's bars are numbered from its first half hour. */
interface Wire {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  vw?: number;
  n?: number;
}
const half = (t: number): Wire => wireBar(t, (t - FROM) / HALF);

describe('Polygon regular-session hours', () => {
  it('builds a stock 1h series from 30-minute bars on the session grid', async () => {
    const { bars, paths } = await fetchAll({});
    expect(paths.every((p) => p.includes('/range/30/minute/'))).toBe(true);
    const iso = bars.map((b) => new Date(b.ts).toISOString());
    expect(iso).toEqual([
      ...['14:30', '15:30', '16:30', '17:30', '18:30', '19:30', '20:30'].map((t) => `2024-11-27T${t}:00.000Z`),
      ...['14:30', '15:30', '16:30', '17:30'].map((t) => `2024-11-29T${t}:00.000Z`),
    ]);
    // 10:30-11:30 New York: the 30-minute bars at 15:30Z and 16:00Z.
    const t = Date.UTC(2024, 10, 27, 15, 30);
    const [a, b] = [half(t), half(t + HALF)];
    expect(bars[1]).toMatchObject({
      ts: t,
      open: a.o,
      close: b.c,
      high: Math.max(a.h, b.h),
      low: Math.min(a.l, b.l),
      volume: a.v + b.v,
      trades: (a.n ?? 0) + (b.n ?? 0),
    });
    expect(bars[1]?.vwap).toBeCloseTo(((a.vw ?? 0) * a.v + (b.vw ?? 0) * b.v) / (a.v + b.v), 9);
    // The last bar of the day is the half hour to the close, alone.
    const last = half(Date.UTC(2024, 10, 27, 20, 30));
    expect(bars[6]).toMatchObject({ open: last.o, close: last.c, volume: last.v });
    // Friday closes at 13:00 New York (18:00 UTC): its last hour is 12:30-13:00.
    expect(bars.at(-1)?.close).toBe(half(Date.UTC(2024, 10, 29, 17, 30)).c);
  });

  it('joins an hour split across two pages', async () => {
    // 3 bars a page: page boundaries fall inside hours.
    const small = await fetchAll({ to: new Date(Date.UTC(2024, 10, 28)) }, 3);
    const whole = await fetchAll({ to: new Date(Date.UTC(2024, 10, 28)) });
    expect(small.bars).toEqual(whole.bars);
    expect(small.paths.length).toBeGreaterThan(10);
  });

  it('leaves an hour with a half hour lacking vwap or trade count without them, rather than inventing them', async () => {
    const { bars } = await fetchAll({});
    // The fake drops vw and n on every tenth bar: the 14:30Z half hour is its 30th of the range.
    expect(half(Date.UTC(2024, 10, 27, 14, 30)).vw).toBeUndefined();
    expect(bars[0]).toMatchObject({ ts: Date.UTC(2024, 10, 27, 14, 30), vwap: null, trades: null });
  });

  it('keeps Polygon clock hours for extended sessions, crypto, FX and indices', async () => {
    for (const request of [
      { session: 'extended' as const },
      { symbol: 'BTC-USD' },
      { symbol: 'EUR-USD' },
      { symbol: 'I:SPX' },
    ]) {
      const { paths } = await fetchAll(request);
      expect(
        paths.every((p) => p.includes('/range/1/hour/')),
        JSON.stringify(request),
      ).toBe(true);
      await server?.close();
      server = undefined;
    }
  });
});
