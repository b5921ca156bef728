import type { ProviderCandle } from '@candlebase/providers';

export const SAMPLE_T0 = Date.UTC(2024, 0, 1);
export const SAMPLE_STEP = 5 * 60_000;

/**
 * `n` 5-minute bars (valid candles) from `SAMPLE_T0 + from` steps, with fractional prices and volumes, no vwap on
 * every third and no trade count on every fourth. `extraMs` moves every tenth bar off the
 * minute by that many milliseconds (timestamps must keep their milliseconds).
 */
export function sampleBars(from: number, n: number, options: { extraMs?: number } = {}): ProviderCandle[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: SAMPLE_T0 + (from + i) * SAMPLE_STEP + (options.extraMs && i % 10 === 0 ? options.extraMs : 0),
    open: 100 + i / 3,
    high: 101 + i / 3,
    low: 99 + i / 3,
    // Inside the bar's range, as candles_ohlc_sane requires, and not a function of open alone.
    close: 100 + i / 3 + ((i % 7) - 3) / 7,
    volume: 1234.5678 + i,
    vwap: i % 3 === 0 ? null : 100.25 + i / 11,
    trades: i % 4 === 0 ? null : 10 + i,
  }));
}
