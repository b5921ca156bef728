import { describe, expect, it } from 'vitest';
import { type Bar, COMPRESSION_LOOKBACK, compressionOf, computeFeatures, periodsPerYear, trendOf } from './indicators';

/**
 * Reference values come from outside the code under test: the 30-bar numbers were worked out by
 * hand where short (RSI's first value, ATR's first value, the volume ratio) and otherwise with a
 * few lines of plain Python (Wilder sums, an EMA loop, population / sample deviations); the long
 * fixture is checked against the naive textbook loops at the bottom of this file, which share no
 * code with trading-signals.
 */

// 30 bars: a staircase up with pull-backs; high/low one point either side of the close, the
// open at the previous close, so the true range is 3 after a 2-point move and 2 after a 1-point one.
const CLOSES = [
  100, 102, 101, 103, 104, 103, 105, 107, 106, 108, 107, 109, 111, 110, 112, 111, 113, 115, 114, 116, 115, 117, 119,
  118, 120, 119, 121, 123, 122, 124,
];
const T0 = Date.parse('2024-03-04T00:00:00Z');
const HOUR = 3_600_000;

function barsOf(closes: readonly number[], volume = (i: number) => 1000 + 100 * (i % 5)): Bar[] {
  return closes.map((close, i) => ({
    ts: T0 + i * HOUR,
    open: i === 0 ? close : (closes[i - 1] as number),
    high: close + 1,
    low: close - 1,
    close,
    volume: volume(i),
  }));
}

describe('computeFeatures on a 30-bar fixture', () => {
  const points = computeFeatures(barsOf(CLOSES), 1);
  const last = points[29];

  it('RSI 14 (Wilder): first value on bar 15, by hand 100 - 100 / (1 + 17/5) = 77.27', () => {
    expect(points[13]?.rsi_14).toBeNull();
    // First 14 changes: gains sum to 17, losses to 5.
    expect(points[14]?.rsi_14).toBeCloseTo(100 - 100 / (1 + 17 / 5), 10);
    expect(points[14]?.rsi_14).toBeCloseTo(77.272727272727, 9);
    expect(last?.rsi_14).toBeCloseTo(76.4832363806699, 9);
  });

  it('ATR 14 (Wilder): first value is the mean of the first 14 true ranges (35 / 14 = 2.5)', () => {
    expect(points[12]?.atr_14).toBeNull();
    expect(points[13]?.atr_14).toBeCloseTo(2.5, 12);
    expect(last?.atr_14).toBeCloseTo(2.588435253396782, 9);
  });

  it('EMA 20 seeded with the first close, reported from the 20th bar', () => {
    expect(points[18]?.ema_20).toBeNull();
    expect(points[19]?.ema_20).toBeCloseTo(108.97153017944177, 9);
    expect(last?.ema_20).toBeCloseTo(116.26662439468382, 9);
    expect(last?.ema_50).toBeNull();
  });

  it('MACD line from bar 26; its signal needs 9 MACD values, so none yet', () => {
    expect(points[24]?.macd).toBeNull();
    expect(points[25]?.macd).toBeCloseTo(4.168730505552915, 9);
    expect(last?.macd).toBeCloseTo(4.623988773059594, 9);
    expect(last?.macd_signal).toBeNull();
    expect(last?.macd_histogram).toBeNull();
  });

  it('Bollinger 20/2: middle 115.8, width 4 x population sd / middle', () => {
    expect(last?.bb_middle).toBeCloseTo(115.8, 10);
    expect(last?.bb_width).toBeCloseTo(0.16551500588201642, 10);
    expect((last?.bb_upper ?? 0) - (last?.bb_lower ?? 0)).toBeCloseTo(4 * 4.791659420284375, 9);
  });

  it('log return, volatility 20 (sample sd, unannualised here), volume mean and ratio', () => {
    expect(points[0]?.log_return).toBeNull();
    expect(last?.log_return).toBeCloseTo(Math.log(124 / 122), 12);
    expect(last?.volatility_20).toBeCloseTo(0.013097013455095848, 10);
    expect(last?.volatility_50).toBeNull();
    // Volumes cycle 1000..1400: the mean of the last 20 is 1200, and the last bar trades 1400.
    expect(last?.volume_mean_20).toBeCloseTo(1200, 10);
    expect(last?.volume_ratio).toBeCloseTo(1400 / 1200, 12);
  });

  it('annualises volatility by the square root of the periods per year', () => {
    const annual = computeFeatures(barsOf(CLOSES), 8760)[29];
    expect(annual?.volatility_20).toBeCloseTo(0.013097013455095848 * Math.sqrt(8760), 8);
  });
});

describe('periods per year', () => {
  it('equities: 252 sessions x bars per regular session; 24/7 markets: 365 days x bars per day', () => {
    expect(periodsPerYear('nyse', '5m')).toBe(252 * 78);
    expect(periodsPerYear('nyse', '15m')).toBe(252 * 26);
    expect(periodsPerYear('nyse', '1h')).toBe(252 * 7);
    expect(periodsPerYear('nyse', '1d')).toBe(252);
    expect(periodsPerYear('24x7', '1h')).toBe(365 * 24);
    expect(periodsPerYear('24x7', '5m')).toBe(365 * 288);
    expect(periodsPerYear('24x7', '1d')).toBe(365);
  });
});

describe('regimes', () => {
  it('trend: uptrend when close > EMA20 > EMA50, downtrend when reversed, ranging otherwise', () => {
    expect(trendOf(12, 11, 10)).toBe('uptrend');
    expect(trendOf(9, 10, 11)).toBe('downtrend');
    expect(trendOf(10.5, 11, 10)).toBe('ranging');
    expect(trendOf(10, null, 10)).toBeNull();
  });

  it('compression: compressed only in the lowest 20% of the trailing 120 widths', () => {
    const rising = Array.from({ length: COMPRESSION_LOOKBACK }, (_, i) => i + 1);
    expect(compressionOf(rising.slice(1))).toBeNull();
    // The newest width ranked: 23 of the window below it -> compressed; 24 below -> expanded.
    expect(compressionOf([...rising.slice(1), 23.5])).toBe('compressed');
    expect(compressionOf([...rising.slice(1), 25.5])).toBe('expanded');
    expect(compressionOf([...rising.slice(1), 0.5])).toBe('compressed');
  });

  it('reads trend and compression off a long series', () => {
    const up = computeFeatures(barsOf(Array.from({ length: 200 }, (_, i) => 100 + i)), 1).at(-1);
    expect(up?.trend).toBe('uptrend');
    const down = computeFeatures(barsOf(Array.from({ length: 200 }, (_, i) => 300 - i)), 1).at(-1);
    expect(down?.trend).toBe('downtrend');
    // Wild swings, then a dead-calm stretch: the bands squeeze to their narrowest.
    const calm = Array.from({ length: 200 }, (_, i) => (i < 170 ? 100 + 10 * Math.sin(i / 3) : 100 + 0.01 * (i % 2)));
    const squeezed = computeFeatures(barsOf(calm), 1).at(-1);
    expect(squeezed?.compression).toBe('compressed');
    const breakout = computeFeatures(barsOf([...calm, 130]), 1).at(-1);
    expect(breakout?.compression).toBe('expanded');
  });
});

// ---- Naive textbook loops, for the long fixture -------------------------------------------

function emaRef(xs: readonly number[], period: number): number[] {
  const a = 2 / (period + 1);
  const out: number[] = [];
  for (const [i, x] of xs.entries()) out.push(i === 0 ? x : a * x + (1 - a) * (out[i - 1] as number));
  return out;
}

function sampleSd(xs: readonly number[]): number {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

describe('computeFeatures on a 200-bar fixture against naive loops', () => {
  const closes = Array.from({ length: 200 }, (_, i) => 100 + 10 * Math.sin(i / 7) + 0.3 * i + 2 * Math.cos(i * 1.3));
  const points = computeFeatures(barsOf(closes), 252);

  it('EMA 50, MACD 12/26/9 with its signal and histogram', () => {
    const e12 = emaRef(closes, 12);
    const e26 = emaRef(closes, 26);
    const e50 = emaRef(closes, 50);
    // The MACD line exists from bar 26; its signal is an EMA 9 of the line from there on.
    const line = closes.map((_, i) => (e12[i] as number) - (e26[i] as number)).slice(25);
    const signal = emaRef(line, 9);
    for (const i of [49, 120, 199]) {
      expect(points[i]?.ema_50).toBeCloseTo(e50[i] as number, 9);
    }
    expect(points[32]?.macd_signal).toBeNull();
    for (const i of [33, 100, 199]) {
      expect(points[i]?.macd).toBeCloseTo(line[i - 25] as number, 9);
      expect(points[i]?.macd_signal).toBeCloseTo(signal[i - 25] as number, 9);
      expect(points[i]?.macd_histogram).toBeCloseTo((line[i - 25] as number) - (signal[i - 25] as number), 9);
    }
  });

  it('volatility 50: sample sd of the last 50 log returns x sqrt(252)', () => {
    const returns = closes.slice(1).map((c, i) => Math.log(c / (closes[i] as number)));
    expect(points[49]?.volatility_50).toBeNull();
    expect(points[50]?.volatility_50).toBeCloseTo(sampleSd(returns.slice(0, 50)) * Math.sqrt(252), 10);
    expect(points[199]?.volatility_50).toBeCloseTo(sampleSd(returns.slice(-50)) * Math.sqrt(252), 10);
    expect(points[199]?.volatility_20).toBeCloseTo(sampleSd(returns.slice(-20)) * Math.sqrt(252), 10);
  });

  it('RSI 14 by Wilder sums', () => {
    let gain = 0;
    let loss = 0;
    let rsi = 0;
    for (let i = 1; i < closes.length; i++) {
      const d = (closes[i] as number) - (closes[i - 1] as number);
      const g = Math.max(d, 0);
      const l = Math.max(-d, 0);
      if (i <= 14) {
        gain += g / 14;
        loss += l / 14;
      } else {
        gain = (gain * 13 + g) / 14;
        loss = (loss * 13 + l) / 14;
      }
      if (i >= 14) rsi = 100 - 100 / (1 + gain / loss);
    }
    expect(points[199]?.rsi_14).toBeCloseTo(rsi, 9);
  });
});
