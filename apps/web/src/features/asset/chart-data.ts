import type { Candle, CorporateAction } from '@candlebase/contracts';
import type { IndicatorSpec } from './indicators';
import type { ChartZone } from './time-zone';

/** What the workspace hands its chart: plain data, so the chart library stays lazily loaded. */
export interface ChartWorkspaceView {
  /** Newest first, as the pages arrive. */
  candles: Candle[];
  intraday: boolean;
  zone: ChartZone;
  compare: { symbol: string; candles: Candle[] } | null;
  indicators: IndicatorSpec[];
  actions: CorporateAction[];
  /** Changes when the series or its anchor changes: the view resets then, and only then. */
  viewKey: string;
  /** A span picked by the user (days back from the right edge; null: all that is loaded). */
  span: { days: number | null; seq: number } | null;
  label: string;
  onVisible: (range: { from: number; to: number }) => void;
  onNearOldest: () => void;
}

export const COMPARE_COLOR = '#f472b6';
const PALETTE = ['#38bdf8', '#f59e0b', '#a78bfa', '#e879f9', '#facc15', '#2dd4bf'];
export const indicatorColor = (i: number) => PALETTE[i % PALETTE.length] ?? '#38bdf8';

export interface Bar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Oldest first, one bar per time (seconds): what lightweight-charts requires. */
export function toBars(candles: readonly Candle[]): Bar[] {
  const byTime = new Map<number, Bar>();
  for (const c of candles) {
    const time = Math.floor(Date.parse(c.ts) / 1000);
    byTime.set(time, { time, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume });
  }
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

/** "Split 10:1", "Dividend 0.24". */
export function actionLabel(a: CorporateAction): string {
  if (a.kind === 'split') {
    const r = a.ratio ?? 1;
    return r >= 1 ? `Split ${r}:1` : `Split 1:${Math.round(1 / r)}`;
  }
  return `Dividend ${a.amount ?? ''}`.trim();
}

/**
 * The times (ms) of the first and last bar inside a logical range (bar indexes, fractional and
 * possibly past either end), or null with no bars. Read from the bars held rather than from the
 * chart, which knows no times until it has been laid out at a width.
 */
export function visibleTimes(
  times: readonly number[],
  logical: { from: number; to: number },
): { from: number; to: number } | null {
  const last = times.length - 1;
  if (last < 0) return null;
  const clamp = (i: number) => Math.min(last, Math.max(0, i));
  const from = times[clamp(Math.ceil(logical.from))];
  const to = times[clamp(Math.floor(logical.to))];
  return from === undefined || to === undefined ? null : { from: from * 1000, to: to * 1000 };
}
