import type { Timeframe } from '@candlebase/contracts';
import type { ProviderAction, ProviderCandle } from './types';

/**
 * The demo's one corporate action, NVIDIA's real 10-for-1 split of 2024-06-10, so the demo shows
 * raw prices with a split in them and the adjustment that removes it. Bars before it are served at
 * the old scale (x10, volume / 10), as the market traded them.
 */
const SPLITS: Record<string, { exDate: string; ratio: number }[]> = {
  NVDA: [{ exDate: '2024-06-10', ratio: 10 }],
};

/** The same boundary the read-time adjustment uses: the ex-date for daily bars, 04:00 UTC of it intraday. */
function boundary(exDate: string, timeframe: Timeframe): number {
  return Date.parse(`${exDate}T${timeframe === '1d' ? '00' : '04'}:00:00Z`);
}

export function syntheticActions(symbol: string, from: Date, to: Date): ProviderAction[] {
  const first = from.toISOString().slice(0, 10);
  const last = to.toISOString().slice(0, 10);
  return (SPLITS[symbol.trim().toUpperCase()] ?? [])
    .filter((s) => s.exDate >= first && s.exDate <= last)
    .map((s) => ({ exDate: s.exDate, kind: 'split', ratio: s.ratio }));
}

/** Puts a page on the share basis of its day: bars before a split at the old scale. In place. */
export function unadjust(symbol: string, timeframe: Timeframe, page: ProviderCandle[]): ProviderCandle[] {
  const splits = SPLITS[symbol.trim().toUpperCase()];
  if (!splits) return page;
  for (const s of splits) {
    const at = boundary(s.exDate, timeframe);
    for (const c of page) {
      if (c.ts >= at) continue;
      c.open *= s.ratio;
      c.high *= s.ratio;
      c.low *= s.ratio;
      c.close *= s.ratio;
      if (c.vwap !== null) c.vwap *= s.ratio;
      c.volume /= s.ratio;
    }
  }
  return page;
}
