import { DAY_MS, type Session, sessionBars } from '@candlebase/calendar';
import { type Timeframe, timeframeMs } from '@candlebase/contracts';
import { STEP_MS } from './synthetic-clock';
import { ANCHOR_MS, type SymbolModel } from './synthetic-model';
import { byteSum, byteUnit, gaussianFromSum, hash32 } from './synthetic-noise';
import type { ProviderCandle } from './types';

/**
 * Turns a symbol's price path into candles. Open and close are the path at the ends of the bar's
 * traded stretch (a 1h equity bar stamped 13:00 UTC opens at the 13:30 bell), so consecutive bars
 * join up and overnight gaps appear by themselves; wicks, volume and trade counts come from hashes
 * of (symbol, timeframe, bar), so every value is a pure function of the bar. The bars expected are
 * the calendar's (its sessions, aligned in UTC); the loop is hand-rolled rather than a generator
 * per bar because it runs hundreds of thousands of times a second.
 */

const U_SHAPE = 2.4;
const U_SHAPE_MEAN = 1 + U_SHAPE / 3;
const MINUTE_MS = 60_000;
/** Busiest hour of the crypto day in UTC: Europe and America both awake. */
const CRYPTO_PEAK_HOUR = 15;
/** Scales flow so that an average bar's surprise and noise multiply out near 1. */
const FLOW_NORMALISER = 0.7;

const MINUTES_PER_DAY = 1440;
/** The crypto day's activity by UTC minute: a cosine is costly at hundreds of thousands of bars a second. */
const CRYPTO_DAY_SHAPE = Float64Array.from({ length: MINUTES_PER_DAY }, (_, m) => {
  return 1 + 0.35 * Math.cos((2 * Math.PI * (m / 60 - CRYPTO_PEAK_HOUR)) / 24);
});
/** exp(0.35 z) for every value the byte-sum gaussian can take (its sum of four bytes, 0..1020). */
const VOLUME_NOISE = Float64Array.from({ length: 1021 }, (_, s) => Math.exp(0.35 * gaussianFromSum(s)));

function intradayShape(model: SymbolModel, mid: number, open: number, close: number): number {
  if (model.calendar === 'nyse') {
    // Volume crowds the open and the close.
    const x = (mid - open) / (close - open);
    const y = 2 * x - 1;
    return (1 + U_SHAPE * y * y) / U_SHAPE_MEAN;
  }
  const day = Math.floor(mid / DAY_MS);
  const minute = Math.floor((mid - day * DAY_MS) / MINUTE_MS);
  const weekday = (day + 4) % 7;
  const weekend = weekday === 0 || weekday === 6 ? 0.7 : 1.1;
  return weekend * (CRYPTO_DAY_SHAPE[minute] ?? 1);
}

/**
 * exp(x) to within 1% for |x| < 0.3, at a fraction of the cost. Wicks only need it to be >= 1 for
 * x >= 0 and in (0, 1] for -1 <= x <= 0, which holds, so OHLC stays consistent whatever the wick.
 */
function expSmall(x: number): number {
  return 1 + x + (x * x) / 2;
}

export interface CandleCursor {
  /** Up to `max` more candles, ascending; an empty page means the range is exhausted. */
  nextPage(max: number): ProviderCandle[];
}

/** The candles with opens in [fromMs, toMs) that have closed by `closedByMs`. */
export function createCandleCursor(
  model: SymbolModel,
  timeframe: Timeframe,
  fromMs: number,
  toMs: number,
  closedByMs: number,
): CandleCursor {
  const step = timeframeMs(timeframe);
  const intraday = step < DAY_MS;
  const wickSeed = hash32(model.seed, 1_000 + step / STEP_MS);
  const flowSeed = hash32(model.seed, 2_000 + step / STEP_MS);
  const scale = model.priceScale;
  const tick = 1 / scale;
  // Rounding is monotone, so rounded prices keep low <= open, close <= high.
  const round = (x: number) => Math.max(tick, Math.round(x * scale) / scale);
  const logPriceAt = (clock: number, ms: number) =>
    model.logBase + model.driftPerMs * (ms - ANCHOR_MS) + model.sigma * model.brownian.at(clock) - model.anchorNoise;

  const lo = fromMs;
  const upper = Math.min(toMs, closedByMs);
  // A session may start the evening before its date (FX) or end after midnight UTC (extended hours).
  const lastDay = Math.floor((upper - 1) / DAY_MS) + 1;
  let day = Math.floor(lo / DAY_MS) - 1;
  let session: Readonly<Session> | null = null;
  let t = 0;
  let dayLast = -1;
  let done = !(upper > lo);
  let previousEnd = Number.NaN;
  let previousLog = 0;
  let previousPrice = 0;

  const candleAt = (s: Readonly<Session>, open: number, end: number): ProviderCandle => {
    const start = Math.max(open, s.open);
    const clockStart = model.clock.at(start);
    const clockEnd = model.clock.at(end);
    const logOpen = start === previousEnd ? previousLog : logPriceAt(clockStart, start);
    const logClose = logPriceAt(clockEnd, end);

    const bar = open / step;
    const wickHash = hash32(wickSeed, bar);
    // The move this stretch of trading time typically brings: it sizes wicks and volume surprises.
    const nominal = model.sigma * Math.sqrt(clockEnd - clockStart);
    const body = Math.abs(logClose - logOpen);
    const wickScale = 0.45 * nominal + 0.25 * body;
    const u = byteUnit(wickHash, 0);
    const v = byteUnit(wickHash, 1);
    const up = wickScale * (0.03 + 1.4 * u * u);
    const down = wickScale * (0.03 + 1.4 * v * v);
    const priceOpen = start === previousEnd ? previousPrice : Math.exp(logOpen);
    const priceClose = Math.exp(logClose);
    previousPrice = priceClose;
    const o = round(priceOpen);
    const c = round(priceClose);
    // Wicks are a few percent at most, where a quadratic stands in for exp at a fraction of the cost.
    const high = round(Math.max(priceOpen, priceClose) * expSmall(up));
    const low = round(Math.min(priceOpen, priceClose) * expSmall(-Math.min(down, 1)));
    previousEnd = end;
    previousLog = logClose;
    const vwap = Math.min(high, Math.max(low, round((o + high + low + 2 * c) / 5)));

    const share = (end - start) / (s.close - s.open);
    const shape = intraday ? intradayShape(model, (start + end) / 2, s.open, s.close) : 1;
    const surprise = 1 + 0.5 * Math.min(3, nominal > 0 ? body / nominal : 0);
    const noise = VOLUME_NOISE[byteSum(hash32(flowSeed, bar))] ?? 1;
    const flow = model.dailyVolume * share * shape * surprise * noise * FLOW_NORMALISER;
    const trades = Math.max(1, Math.round((flow / model.tradeSize) * (0.85 + 0.3 * byteUnit(wickHash, 2))));
    const volume = model.volumeInNotional
      ? Math.max(0.0001, Math.round((flow / vwap) * 10_000) / 10_000)
      : Math.max(1, Math.round(flow));
    return { ts: open, open: o, high, low, close: c, volume, vwap, trades };
  };

  return {
    nextPage(max: number): ProviderCandle[] {
      const page: ProviderCandle[] = [];
      while (!done && page.length < max) {
        if (session === null || t > dayLast) {
          if (day > lastDay) {
            done = true;
            break;
          }
          const bars = sessionBars(model.calendar, timeframe, day);
          day++;
          if (bars === null) continue;
          // The calendar's grid for the day: from its first bar to its last, one step at a time.
          session = { open: bars.open, close: bars.close };
          t = lo <= bars.first ? bars.first : bars.first + Math.ceil((lo - bars.first) / step) * step;
          dayLast = Math.min(bars.last, upper - 1);
          continue;
        }
        const end = Math.min(t + step, session.close);
        if (end > closedByMs) {
          done = true;
          break;
        }
        page.push(candleAt(session, t, end));
        t += step;
      }
      return page;
    },
  };
}
