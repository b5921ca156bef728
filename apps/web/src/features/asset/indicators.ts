/**
 * Indicators the chart workspace draws, computed in the browser over the bars it has loaded.
 * The server's enrichment.features has fixed periods (EMA 20/50, RSI 14, Bollinger 20/2) over the
 * newest bars only; the workspace pages anywhere in history and lets the user pick periods, so it
 * computes them here with trading-signals, the library the server uses (same definitions:
 * EMA seeded with the first close, Wilder's RSI, population-deviation Bollinger bands).
 */
export const INDICATOR_KINDS = ['SMA', 'EMA', 'BB', 'RSI'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];
export const INDICATOR_NAMES: Record<IndicatorKind, string> = {
  SMA: 'Simple moving average',
  EMA: 'Exponential moving average',
  BB: 'Bollinger bands (2 deviations)',
  RSI: 'Relative strength index',
};
export const MIN_PERIOD = 2;
export const MAX_PERIOD = 500;

export interface IndicatorSpec {
  kind: IndicatorKind;
  period: number;
}

export interface LinePoint {
  time: number;
  value: number;
}

/** One line per output: a moving average or RSI has one, Bollinger bands three. */
export interface IndicatorLines {
  spec: IndicatorSpec;
  lines: { name: string; points: LinePoint[] }[];
}

export const indicatorLabel = (s: IndicatorSpec) => `${s.kind} ${s.period}`;

/** Null for a period outside MIN_PERIOD..MAX_PERIOD or not a whole number. */
export function parsePeriod(text: string): number | null {
  const n = Number(text);
  return Number.isInteger(n) && n >= MIN_PERIOD && n <= MAX_PERIOD ? n : null;
}
