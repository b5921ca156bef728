import type { Timeframe } from '@candlebase/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { createPolygonProvider } from './polygon';
import { polygonAggs } from './testing/fake-polygon';
import { type FakeServer, startFakeServer } from './testing/fake-server';
import type { ProviderCandle } from './types';

const MIN = 60_000;
const KEY = 'test-key';
const LIMIT = 50_000;

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const newYorkClock = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  weekday: 'short',
  hour: 'numeric',
  hourCycle: 'h23',
});

const byHour = new Map<number, boolean>();

/** A US stock's extended session as Polygon serves it: 04:00 to 20:00 New York time, Monday to Friday. */
function extendedSession(ms: number): boolean {
  // New York's offset is whole hours, so the answer holds for a whole UTC hour.
  const hourStart = Math.floor(ms / 3_600_000);
  let open = byHour.get(hourStart);
  if (open === undefined) {
    const parts = newYorkClock.formatToParts(new Date(hourStart * 3_600_000));
    const weekday = parts.find((p) => p.type === 'weekday')?.value ?? '';
    const hour = Number(parts.find((p) => p.type === 'hour')?.value);
    open = !['Sat', 'Sun'].includes(weekday) && hour >= 4 && hour < 20;
    byHour.set(hourStart, open);
  }
  return open;
}

async function fetchAll(symbol: string, from: number, to: number, timeframe: Timeframe = '5m') {
  if (!server) throw new Error('start the fake server first');
  const p = createPolygonProvider({ apiKey: KEY, baseUrl: server.baseUrl, requestsPerMinute: 100_000 });
  const out: ProviderCandle[] = [];
  for await (const page of p.fetchCandles({ symbol, timeframe, from: new Date(from), to: new Date(to) }))
    out.push(...page);
  return out;
}

describe('Polygon request windows', () => {
  it('a year of crypto 5m bars takes ceil(525,600 / 50,000) = 11 requests and loses no bar', async () => {
    server = await startFakeServer(polygonAggs({ apiKey: KEY, pageSize: LIMIT }));
    const from = Date.UTC(2023, 0, 1);
    const to = Date.UTC(2024, 0, 1);
    const candles = await fetchAll('BTC-USD', from, to);
    const minutes = (to - from) / MIN;
    expect(server.requests).toHaveLength(Math.ceil(minutes / LIMIT));
    expect(candles).toHaveLength(minutes / 5);
    expect(candles.every((c, i) => c.ts === from + i * 5 * MIN)).toBe(true);
    expect(server.requests.every((r) => r.url.searchParams.get('limit') === String(LIMIT))).toBe(true);
  });

  it('a year of crypto 1h bars: whole hours of at most 50,000 minutes (833 h), ceil(8760 / 833) = 11 requests', async () => {
    server = await startFakeServer(polygonAggs({ apiKey: KEY, pageSize: LIMIT }));
    const from = Date.UTC(2023, 0, 1);
    const to = Date.UTC(2024, 0, 1);
    const candles = await fetchAll('ETH-USD', from, to, '1h');
    expect(server.requests).toHaveLength(Math.ceil(8760 / Math.floor(LIMIT / 60)));
    expect(candles).toHaveLength(8760);
    expect(candles.every((c, i) => c.ts === from + i * 60 * MIN)).toBe(true);
  });

  it("a year of a stock's 5m bars: windows of 50,000 extended-session minutes, the fewest that lose nothing", async () => {
    server = await startFakeServer(polygonAggs({ apiKey: KEY, pageSize: LIMIT, traded: extendedSession }));
    const from = Date.UTC(2024, 0, 1);
    const to = Date.UTC(2025, 0, 1);
    let sessionMinutes = 0;
    const expected: number[] = [];
    for (let m = from; m < to; m += MIN) {
      if (!extendedSession(m)) continue;
      sessionMinutes++;
      if (m % (5 * MIN) === 0) expected.push(m);
    }
    const candles = await fetchAll('AAPL', from, to);
    // 262 weekdays of 960 minutes, less the last evening's hour after 00:00 UTC: 5.03 times the limit.
    expect(sessionMinutes).toBe(262 * 960 - 60);
    expect(server.requests).toHaveLength(Math.ceil(sessionMinutes / LIMIT));
    expect(candles.map((c) => c.ts)).toEqual(expected);
  });
});
