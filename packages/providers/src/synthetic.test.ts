import { barOpens, countBars, isBarOpen } from '@candlebase/calendar';
import { TIMEFRAME_LIST, type Timeframe } from '@candlebase/contracts';
import { describe, expect, it } from 'vitest';
import { createSyntheticProvider } from './synthetic';
import type { ProviderCandle } from './types';

const t = (s: string) => Date.parse(s);
const NOW = t('2026-06-01T00:00:00Z');

async function collect(
  symbol: string,
  timeframe: Timeframe,
  from: string,
  to: string,
  options: { pageSize?: number; now?: number } = {},
): Promise<{ candles: ProviderCandle[]; pages: number[] }> {
  const provider = createSyntheticProvider({ pageSize: options.pageSize, now: () => options.now ?? NOW });
  const candles: ProviderCandle[] = [];
  const pages: number[] = [];
  for await (const page of provider.fetchCandles({ symbol, timeframe, from: new Date(from), to: new Date(to) })) {
    pages.push(page.length);
    candles.push(...page);
  }
  return { candles, pages };
}

describe('synthetic provider: identity', () => {
  it('describes itself', async () => {
    const provider = createSyntheticProvider();
    expect(provider.name).toBe('synthetic');
    expect(provider.demo).toBe(true);
    expect(provider.timeframes).toEqual(TIMEFRAME_LIST);
    expect(provider.earliest('AAPL', '1d')?.toISOString()).toBe('2000-01-01T00:00:00.000Z');
    await expect(provider.ping()).resolves.toBeUndefined();
    expect(() => createSyntheticProvider({ pageSize: 0 })).toThrow(/pageSize/);
  });
});

describe('synthetic provider: determinism', () => {
  it('gives the same bars in one go, in overlapping pieces and in other page sizes', async () => {
    for (const [symbol, tf] of [
      ['AAPL', '5m'],
      ['BTC-USD', '15m'],
      ['MSFT', '1h'],
      ['ETH-USD', '1d'],
    ] as const) {
      const whole = await collect(symbol, tf, '2024-01-01', '2024-04-01');
      const first = await collect(symbol, tf, '2024-01-01', '2024-02-20', { pageSize: 333 });
      const second = await collect(symbol, tf, '2024-02-10T13:37:00Z', '2024-04-01', { pageSize: 97 });
      expect(whole.candles.length).toBeGreaterThan(50);
      const byTs = new Map(whole.candles.map((c) => [c.ts, c]));
      for (const c of [...first.candles, ...second.candles]) expect(c).toEqual(byTs.get(c.ts));
      const stitched = new Map([...first.candles, ...second.candles].map((c) => [c.ts, c]));
      expect(stitched.size).toBe(whole.candles.length);
    }
  });

  it('depends on the symbol and nothing else', async () => {
    const a = await collect('AAPL', '1d', '2024-01-01', '2024-02-01');
    const again = await collect('aapl ', '1d', '2024-01-01', '2024-02-01', { now: t('2030-01-01T00:00:00Z') });
    const b = await collect('MSFT', '1d', '2024-01-01', '2024-02-01');
    expect(again.candles).toEqual(a.candles);
    expect(b.candles.map((c) => c.close)).not.toEqual(a.candles.map((c) => c.close));
  });

  it('tells one story across timeframes: hourly and daily bars agree with the 5m bars inside them', async () => {
    const fine = (await collect('AAPL', '5m', '2024-11-27', '2024-11-28')).candles;
    const hourly = (await collect('AAPL', '1h', '2024-11-27', '2024-11-28')).candles;
    const daily = (await collect('AAPL', '1d', '2024-11-27', '2024-11-28')).candles;
    const at = (ts: string) => fine.find((c) => c.ts === t(ts));
    // The first hourly bar is the session's first hour, 14:30Z (the bell) to 15:30Z.
    expect(hourly[0]?.ts).toBe(t('2024-11-27T14:30:00Z'));
    expect(hourly[0]?.open).toBe(at('2024-11-27T14:30:00Z')?.open);
    expect(hourly[0]?.close).toBe(at('2024-11-27T15:25:00Z')?.close);
    // The last is the half hour to the close.
    expect(hourly.at(-1)?.ts).toBe(t('2024-11-27T20:30:00Z'));
    expect(hourly.at(-1)?.close).toBe(fine.at(-1)?.close);
    expect(daily[0]?.open).toBe(fine[0]?.open);
    expect(daily[0]?.close).toBe(fine.at(-1)?.close);
  });
});

describe('synthetic provider: realism', () => {
  it('keeps OHLC, volume, vwap and trades consistent over 100,000+ bars', async () => {
    const crypto = (await collect('BTC-USD', '5m', '2023-01-01', '2024-01-01')).candles;
    const equity = (await collect('TSLA', '5m', '2022-01-01', '2024-01-01')).candles;
    const daily = (await collect('DOGE-USD', '1d', '2000-01-01', '2026-01-01')).candles;
    const all = [...crypto, ...equity, ...daily];
    expect(crypto.length).toBe(365 * 288);
    expect(all.length).toBeGreaterThan(100_000);
    let bad = 0;
    for (const c of all) {
      const ok =
        c.low > 0 &&
        c.low <= Math.min(c.open, c.close) &&
        c.high >= Math.max(c.open, c.close) &&
        c.volume > 0 &&
        c.vwap !== null &&
        c.vwap >= c.low &&
        c.vwap <= c.high &&
        c.trades !== null &&
        Number.isInteger(c.trades) &&
        c.trades > 0 &&
        [c.open, c.high, c.low, c.close, c.volume].every(Number.isFinite);
      if (!ok) bad++;
    }
    expect(bad).toBe(0);
  });

  it('moves like a market: daily returns of a few percent, equities quieter overnight than intraday', async () => {
    const days = (await collect('SPY', '1d', '2015-01-01', '2025-01-01')).candles;
    const returns = days.slice(1).map((c, i) => Math.log(c.close / (days[i]?.close ?? c.close)));
    const gaps = days.slice(1).map((c, i) => Math.log(c.open / (days[i]?.close ?? c.open)));
    const intraday = days.map((c) => Math.log(c.close / c.open));
    const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / xs.length);
    const annual = sd(returns) * Math.sqrt(252);
    expect(annual).toBeGreaterThan(0.1);
    expect(annual).toBeLessThan(0.8);
    expect(sd(gaps)).toBeLessThan(sd(intraday));
  });

  it('gives equities a U-shaped intraday volume profile', async () => {
    const bars = (await collect('KO', '5m', '2024-01-01', '2024-07-01')).candles;
    const bySlot = new Map<number, number[]>();
    let day = -1;
    let slot = 0;
    for (const c of bars) {
      const d = Math.floor(c.ts / 86_400_000);
      slot = d === day ? slot + 1 : 0;
      day = d;
      const list = bySlot.get(slot) ?? [];
      list.push(c.volume);
      bySlot.set(slot, list);
    }
    const mean = (s: number) => {
      const v = bySlot.get(s) ?? [];
      return v.reduce((a, x) => a + x, 0) / v.length;
    };
    expect(mean(0)).toBeGreaterThan(1.5 * mean(38));
    expect(mean(77)).toBeGreaterThan(1.5 * mean(38));
  });

  it('prices BTC-like symbols far above a typical equity', async () => {
    const btc = (await collect('BTC-USD', '1d', '2025-01-01', '2025-01-02')).candles[0];
    const eq = (await collect('ZZZZ', '1d', '2025-01-02', '2025-01-03')).candles[0];
    expect(btc?.close).toBeGreaterThan(10_000);
    expect(eq?.close).toBeLessThan(2_000);
  });
});

describe('synthetic provider: calendar', () => {
  it('has equity bars only in NYSE sessions, and all of them', async () => {
    for (const tf of TIMEFRAME_LIST) {
      const { candles } = await collect('AAPL', tf, '2024-01-01', '2025-01-01');
      expect(candles.every((c) => isBarOpen('nyse', tf, c.ts))).toBe(true);
      expect(candles.length).toBe(countBars('nyse', tf, t('2024-01-01'), t('2025-01-01')));
      expect(candles.some((c) => new Date(c.ts).toISOString().startsWith('2024-11-28'))).toBe(false);
    }
  });

  it('matches the calendar exactly for Thanksgiving week 2024', async () => {
    const expected: Record<Timeframe, number> = { '5m': 276, '15m': 92, '1h': 25, '1d': 4 };
    for (const tf of TIMEFRAME_LIST) {
      const { candles } = await collect('SPY', tf, '2024-11-25', '2024-11-30');
      expect(candles.length).toBe(expected[tf]);
      expect(candles.map((c) => c.ts)).toEqual([...barOpens('nyse', tf, t('2024-11-25'), t('2024-11-30'))]);
    }
  });

  it('trades crypto around the clock', async () => {
    const { candles } = await collect('ETH-USD', '1h', '2024-11-25', '2024-12-02');
    expect(candles.length).toBe(7 * 24);
  });

  it('starts no earlier than 2000-01-01', async () => {
    const { candles } = await collect('IBM', '1d', '1995-01-01', '2000-01-10');
    expect(new Date(candles[0]?.ts ?? 0).toISOString()).toBe('2000-01-03T00:00:00.000Z');
  });
});

describe('synthetic provider: time and paging', () => {
  it('yields only bars that have closed by now()', async () => {
    const now = t('2024-11-27T15:07:00Z');
    const last = async (symbol: string, tf: Timeframe, clock = now) =>
      new Date((await collect(symbol, tf, '2024-11-20', '2025-01-01', { now: clock })).candles.at(-1)?.ts ?? 0);
    expect((await last('AAPL', '5m')).toISOString()).toBe('2024-11-27T15:00:00.000Z');
    // The first hour of the day (14:30-15:30Z) is still trading: the newest closed one is Tuesday's last.
    expect((await last('AAPL', '1h')).toISOString()).toBe('2024-11-26T20:30:00.000Z');
    expect((await last('AAPL', '1d')).toISOString()).toBe('2024-11-26T00:00:00.000Z');
    expect((await last('AAPL', '1d', t('2024-11-27T21:00:00Z'))).toISOString()).toBe('2024-11-27T00:00:00.000Z');
    expect((await last('BTC-USD', '5m')).toISOString()).toBe('2024-11-27T15:00:00.000Z');
    expect((await last('BTC-USD', '1d')).toISOString()).toBe('2024-11-26T00:00:00.000Z');
  });

  it('yields nothing for a range in the future or an empty range', async () => {
    expect((await collect('AAPL', '5m', '2026-07-01', '2026-08-01')).pages).toEqual([]);
    expect((await collect('AAPL', '5m', '2024-07-01', '2024-07-01')).pages).toEqual([]);
  });

  it('pages in order, each full but the last', async () => {
    const { candles, pages } = await collect('BTC-USD', '5m', '2024-01-01', '2024-01-08', { pageSize: 500 });
    expect(candles.length).toBe(7 * 288);
    expect(pages).toEqual([500, 500, 500, 500, 16]);
    expect(candles.every((c, i) => i === 0 || c.ts - (candles[i - 1]?.ts ?? 0) === 300_000)).toBe(true);
  });

  it('stops promptly when aborted', async () => {
    const provider = createSyntheticProvider({ pageSize: 1000, now: () => NOW });
    const controller = new AbortController();
    const request = {
      symbol: 'BTC-USD',
      timeframe: '5m' as const,
      from: new Date('2010-01-01'),
      to: new Date('2026-01-01'),
      signal: controller.signal,
    };
    let pages = 0;
    const run = async () => {
      for await (const _page of provider.fetchCandles(request)) {
        pages++;
        if (pages === 2) controller.abort(new Error('stop now'));
      }
    };
    const started = performance.now();
    await expect(run()).rejects.toThrow('stop now');
    expect(pages).toBe(2);
    expect(performance.now() - started).toBeLessThan(500);

    const already = new AbortController();
    already.abort(new Error('never started'));
    const iterator = provider.fetchCandles({ ...request, signal: already.signal })[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toThrow('never started');
  });

  it('generates a year of 5m crypto bars quickly', async () => {
    const started = performance.now();
    const { candles } = await collect('SOL-USD', '5m', '2021-01-01', '2022-01-01');
    const ms = performance.now() - started;
    expect(candles.length).toBe(365 * 288);
    expect(ms).toBeLessThan(1_500);
  });
});

describe('synthetic provider: trading hours by asset class and session', () => {
  it('trades FX 24x5, Sunday 17:00 to Friday 17:00 New York, across the March 2024 DST change', async () => {
    const hours = (await collect('EUR-USD', '1h', '2024-03-03', '2024-03-17')).candles.map((c) => c.ts);
    expect(hours).toEqual([...barOpens('fx', '1h', t('2024-03-03T00:00:00Z'), t('2024-03-17T00:00:00Z'))]);
    expect(hours).toHaveLength(240);
    expect(new Date(hours[0] ?? 0).toISOString()).toBe('2024-03-03T22:00:00.000Z');
    expect(hours.some((ms) => new Date(ms).getUTCDay() === 6)).toBe(false);
    const days = (await collect('EUR-USD', '1d', '2024-03-03', '2024-03-17')).candles;
    expect(days).toHaveLength(10);
  });

  it('keeps pre-market and after-hours bars for an extended-hours equity series', async () => {
    const provider = createSyntheticProvider({ now: () => NOW });
    const bars: ProviderCandle[] = [];
    const request = {
      symbol: 'AAPL',
      timeframe: '1h' as const,
      from: new Date('2024-03-11'),
      to: new Date('2024-03-12'),
    };
    for await (const page of provider.fetchCandles({ ...request, session: 'extended' })) bars.push(...page);
    expect(bars.map((b) => new Date(b.ts).toISOString().slice(11, 16))).toEqual(
      Array.from({ length: 16 }, (_, i) => `${String(8 + i).padStart(2, '0')}:00`),
    );
  });
});
