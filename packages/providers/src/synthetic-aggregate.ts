import { DAY_MS, sessionOnDay } from '@candlebase/calendar';
import { type Timeframe, timeframeMs } from '@candlebase/contracts';
import { type CandleCursor, createCandleCursor } from './synthetic-bars';
import type { SymbolModel } from './synthetic-model';
import type { ProviderCandle } from './types';

/** The finest synthetic timeframe: every coarser bar is built from these. */
export const BASE_TIMEFRAME: Timeframe = '5m';
const BASE_PAGE = 4096;

/**
 * Synthetic bars of any timeframe, with the coarser ones aggregated from the 5-minute bars of
 * their traded stretch: open of the first, close of the last, the highest high, the lowest low,
 * volumes and trade counts summed, vwap weighted by volume. So a demo 1d high is the highest 5m
 * high of that session, as in real data (a 1d bar covers the regular session, also for an
 * extended-hours series), and the data-quality check that compares timeframes has a clean
 * reference. The coarse grid and its closed-bar rule come from the coarse cursor itself.
 */
export function createSyntheticCursor(
  model: SymbolModel,
  timeframe: Timeframe,
  fromMs: number,
  toMs: number,
  closedByMs: number,
): CandleCursor {
  if (timeframe === BASE_TIMEFRAME) return createCandleCursor(model, timeframe, fromMs, toMs, closedByMs);
  const step = timeframeMs(timeframe);
  const daily = step >= DAY_MS;
  const grid = createCandleCursor(model, timeframe, fromMs, toMs, closedByMs);
  // Daily bars are the regular session's, whatever the series' own hours.
  const baseModel: SymbolModel = daily && model.calendar === 'nyse-extended' ? { ...model, calendar: 'nyse' } : model;
  const scale = model.priceScale;
  const round = (x: number) => Math.max(1 / scale, Math.round(x * scale) / scale);

  let base: CandleCursor | null = null;
  let buffer: ProviderCandle[] = [];
  let at = 0;
  const nextBase = (): ProviderCandle | undefined => {
    if (at >= buffer.length) {
      buffer = base?.nextPage(BASE_PAGE) ?? [];
      at = 0;
    }
    return buffer[at];
  };

  const stretchOf = (ts: number): [number, number] => {
    if (!daily) return [ts, ts + step];
    const s = sessionOnDay(baseModel.calendar, Math.floor(ts / DAY_MS));
    return s ? [s.open, s.close] : [ts, ts + step];
  };

  const aggregate = (bar: ProviderCandle): ProviderCandle => {
    const [lo, hi] = stretchOf(bar.ts);
    let first: ProviderCandle | undefined;
    let last: ProviderCandle | undefined;
    let high = Number.NEGATIVE_INFINITY;
    let low = Number.POSITIVE_INFINITY;
    let volume = 0;
    let notional = 0;
    let trades = 0;
    for (let b = nextBase(); b !== undefined && b.ts < hi; at++, b = nextBase()) {
      if (b.ts < lo) continue;
      first ??= b;
      last = b;
      if (b.high > high) high = b.high;
      if (b.low < low) low = b.low;
      volume += b.volume;
      notional += (b.vwap ?? b.close) * b.volume;
      trades += b.trades ?? 0;
    }
    // A stretch without base bars cannot happen on the calendar's grid; keep the coarse bar then.
    if (!first || !last) return bar;
    const v = model.volumeInNotional ? Math.round(volume * 10_000) / 10_000 : Math.round(volume);
    const vwap = Math.min(high, Math.max(low, round(volume > 0 ? notional / volume : last.close)));
    return { ts: bar.ts, open: first.open, high, low, close: last.close, volume: v, vwap, trades };
  };

  return {
    nextPage(max: number): ProviderCandle[] {
      const page = grid.nextPage(max);
      const head = page[0];
      const tail = page[page.length - 1];
      if (!head || !tail) return page;
      // One base stream per coarse page, from the first bar's stretch to the last one's.
      base = createCandleCursor(baseModel, BASE_TIMEFRAME, stretchOf(head.ts)[0], stretchOf(tail.ts)[1], closedByMs);
      buffer = [];
      at = 0;
      return page.map(aggregate);
    },
  };
}
