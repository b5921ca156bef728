import { type CalendarName, DAY_MS, dayFromIso, sessionBars } from '@candlebase/calendar';
import type { CompressionRegime, FeaturePoint, Timeframe, TrendRegime } from '@candlebase/contracts';
import { timeframeMs } from '@candlebase/contracts';
import { ATR, BollingerBands, EMA, MACD, RSI, SMA } from 'trading-signals';

/**
 * Features of one series, computed bar by bar in one pass (conventions in ./README.md).
 *
 * trading-signals (maintained, typed, plain numbers, streaming `update()`) supplies the classic
 * indicators: EMA (seeded with the first close, like pandas `ewm(adjust=False)`), RSI and ATR
 * with Wilder's smoothing (its WSMA: a simple mean of the first 14, then (prev x 13 + x) / 14),
 * MACD 12/26/9 and Bollinger bands 20/2 (population standard deviation). It has no rolling
 * volatility of log returns, volume ratio or regimes, so those are ours, below.
 */

export interface Bar {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export const VOL_SHORT = 20;
export const VOL_LONG = 50;
export const COMPRESSION_LOOKBACK = 120;
/** Compressed while the width ranks in the lowest fifth of its look-back. */
export const COMPRESSION_QUANTILE = 0.2;
/**
 * Bars read before the first point returned. The longest look-back is the compression rank
 * (20 + 119 bars); EMA 50's seed has decayed to (49/51)^300 ~ 6e-6 of its error by then.
 */
export const WARMUP_BARS = 300;

/** A regular NYSE day (no holiday, no early close) to count a full session's bars on. */
const REGULAR_NYSE_DAY = dayFromIso('2024-03-06');

/**
 * Bars per year, to annualise volatility: equities 252 sessions x the bars of a regular session
 * (78 of 5m, 26 of 15m, 7 of 1h on the session grid, 1 daily; 16 hours with extended hours), FX 260
 * weekdays x 24 hours of bars; markets that never
 * close 365 days x the bars of a day.
 */
export function periodsPerYear(cal: CalendarName, timeframe: Timeframe): number {
  if (cal === '24x7') return (365 * DAY_MS) / timeframeMs(timeframe);
  const day = sessionBars(cal, timeframe, REGULAR_NYSE_DAY);
  const perDay = day === null ? 1 : (day.last - day.first) / day.step + 1;
  // FX trades every weekday of the year; the NYSE about 252 of them.
  return (cal === 'fx' ? 260 : 252) * perDay;
}

function finiteOrNull(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && Number.isFinite(x) ? x : null;
}

/** Sample standard deviation (n - 1) of the last `n` values, two-pass for precision. */
function trailingStd(values: readonly number[], n: number): number | null {
  if (values.length < n) return null;
  let mean = 0;
  for (let i = values.length - n; i < values.length; i++) mean += values[i] as number;
  mean /= n;
  let ss = 0;
  for (let i = values.length - n; i < values.length; i++) ss += ((values[i] as number) - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}

export function trendOf(close: number, ema20: number | null, ema50: number | null): TrendRegime | null {
  if (ema20 === null || ema50 === null) return null;
  if (close > ema20 && ema20 > ema50) return 'uptrend';
  if (close < ema20 && ema20 < ema50) return 'downtrend';
  return 'ranging';
}

/** Compressed when fewer than 20% of the trailing widths (this one included) lie below it. */
export function compressionOf(widths: readonly number[]): CompressionRegime | null {
  if (widths.length < COMPRESSION_LOOKBACK) return null;
  const current = widths[widths.length - 1] as number;
  let below = 0;
  for (let i = widths.length - COMPRESSION_LOOKBACK; i < widths.length; i++) {
    if ((widths[i] as number) < current) below++;
  }
  return below < COMPRESSION_QUANTILE * COMPRESSION_LOOKBACK ? 'compressed' : 'expanded';
}

/** One point per bar, oldest first; a feature is null until enough bars precede it. */
export function computeFeatures(bars: readonly Bar[], perYear: number): FeaturePoint[] {
  const annualise = Math.sqrt(perYear);
  const ema20 = new EMA(20);
  const ema50 = new EMA(50);
  const rsi = new RSI(14);
  const atr = new ATR(14);
  const macd = new MACD(new EMA(12), new EMA(26), new EMA(9));
  const bands = new BollingerBands(20, 2);
  const volumeMean = new SMA(VOL_SHORT);
  // Only the trailing windows are needed; keep the arrays short so long series stay cheap.
  const returns: number[] = [];
  const widths: number[] = [];
  const out: FeaturePoint[] = [];
  let previousClose: number | null = null;

  for (const bar of bars) {
    const logReturn =
      previousClose !== null && previousClose > 0 && bar.close > 0 ? Math.log(bar.close / previousClose) : null;
    previousClose = bar.close;
    if (logReturn !== null) {
      returns.push(logReturn);
      if (returns.length > VOL_LONG) returns.shift();
    }

    const e20 = ema20.update(bar.close, false);
    const e50 = ema50.update(bar.close, false);
    const ema20Value = ema20.isStable ? finiteOrNull(e20) : null;
    const ema50Value = ema50.isStable ? finiteOrNull(e50) : null;
    const rsiValue = finiteOrNull(rsi.update(bar.close, false));
    const atrValue = finiteOrNull(atr.update({ high: bar.high, low: bar.low, close: bar.close }, false));
    const m = macd.update(bar.close, false);
    const signalReady = m !== null && macd.signal.isStable;
    const b = bands.update(bar.close, false);
    const width = b && b.middle !== 0 ? finiteOrNull((b.upper - b.lower) / b.middle) : null;
    if (width !== null) {
      widths.push(width);
      if (widths.length > COMPRESSION_LOOKBACK) widths.shift();
    }
    const mean = finiteOrNull(volumeMean.update(bar.volume, false));
    const vol20 = trailingStd(returns, VOL_SHORT);
    const vol50 = trailingStd(returns, VOL_LONG);

    out.push({
      ts: new Date(bar.ts).toISOString(),
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: bar.volume,
      log_return: finiteOrNull(logReturn),
      volatility_20: vol20 === null ? null : finiteOrNull(vol20 * annualise),
      volatility_50: vol50 === null ? null : finiteOrNull(vol50 * annualise),
      atr_14: atrValue,
      rsi_14: rsiValue,
      macd: m ? finiteOrNull(m.macd) : null,
      macd_signal: signalReady ? finiteOrNull(m.signal) : null,
      macd_histogram: signalReady ? finiteOrNull(m.histogram) : null,
      ema_20: ema20Value,
      ema_50: ema50Value,
      bb_upper: b ? finiteOrNull(b.upper) : null,
      bb_middle: b ? finiteOrNull(b.middle) : null,
      bb_lower: b ? finiteOrNull(b.lower) : null,
      bb_width: width,
      volume_mean_20: mean,
      volume_ratio: mean !== null && mean > 0 ? finiteOrNull(bar.volume / mean) : null,
      trend: trendOf(bar.close, ema20Value, ema50Value),
      compression: width === null ? null : compressionOf(widths),
    });
  }
  return out;
}
