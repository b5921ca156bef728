import { DAY_MS, sessionOnDay } from '@candlebase/calendar';
import { type Timeframe, timeframeMs } from '@candlebase/contracts';
import { describe, expect, it } from 'vitest';
import { createSyntheticProvider } from './synthetic';
import type { ProviderCandle } from './types';

const NOW = Date.parse('2026-06-01T00:00:00Z');

async function bars(symbol: string, timeframe: Timeframe, session?: 'extended') {
  const provider = createSyntheticProvider({ now: () => NOW, pageSize: 777 });
  const out: ProviderCandle[] = [];
  const request = { symbol, timeframe, from: new Date('2024-03-01'), to: new Date('2024-04-02'), session };
  for await (const page of provider.fetchCandles(request)) out.push(...page);
  return out;
}

describe('synthetic provider: coarser timeframes are built from the 5-minute bars', () => {
  it.each([
    ['AAPL', undefined],
    ['AAPL', 'extended'],
    ['BTC-USD', undefined],
    ['EURUSD', undefined],
  ] as const)('%s %s: every 15m, 1h and 1d bar is the aggregate of its 5m bars', async (symbol, session) => {
    const base = await bars(symbol, '5m', session);
    // A daily bar is the regular session's, also for an extended-hours series.
    const regular = session === 'extended' ? await bars(symbol, '5m') : base;
    expect(base.length).toBeGreaterThan(1000);
    for (const tf of ['15m', '1h', '1d'] as const) {
      const coarse = await bars(symbol, tf, session);
      expect(coarse.length).toBeGreaterThan(20);
      for (const bar of coarse) {
        let lo = bar.ts;
        let hi = bar.ts + timeframeMs(tf);
        if (tf === '1d') {
          const s = sessionOnDay(symbol === 'BTC-USD' ? '24x7' : symbol === 'EURUSD' ? 'fx' : 'nyse', bar.ts / DAY_MS);
          if (!s) throw new Error(`no session on ${new Date(bar.ts).toISOString()}`);
          [lo, hi] = [s.open, s.close];
        }
        const inside = (tf === '1d' ? regular : base).filter((b) => b.ts >= lo && b.ts < hi);
        expect(inside.length, `${symbol} ${tf} ${new Date(bar.ts).toISOString()}`).toBeGreaterThan(0);
        expect(bar.open).toBe(inside[0]?.open);
        expect(bar.close).toBe(inside[inside.length - 1]?.close);
        expect(bar.high).toBe(Math.max(...inside.map((b) => b.high)));
        expect(bar.low).toBe(Math.min(...inside.map((b) => b.low)));
        expect(bar.trades).toBe(inside.reduce((n, b) => n + (b.trades ?? 0), 0));
        const volume = inside.reduce((n, b) => n + b.volume, 0);
        expect(Math.abs(bar.volume - volume)).toBeLessThanOrEqual(Math.max(1e-4, volume * 1e-12) + 0.5);
        expect(bar.vwap).toBeGreaterThanOrEqual(bar.low);
        expect(bar.vwap).toBeLessThanOrEqual(bar.high);
      }
    }
  });
});
