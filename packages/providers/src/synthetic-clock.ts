import { hash32, unit } from './synthetic-noise';

/**
 * Trading time for the synthetic price path. Markets do not move evenly through the clock:
 * equities move mostly while the exchange is open, crypto more in the European and American
 * afternoon than at night, and both have calm and turbulent spells. Each 5-minute step therefore
 * carries a weight (its share of variance), and the path is Brownian in the running sum of weights,
 * so a night or weekend is a small step of trading time and the overnight gap stays modest.
 * The sum is O(1) to evaluate: a weekly pattern times a per-week regime, with weekly prefix sums.
 */
export const STEP_MS = 5 * 60_000;
const STEPS_PER_DAY = 288;
const STEPS_PER_WEEK = 7 * STEPS_PER_DAY;
const WEEKS_PER_YEAR = 365.25 / 7;
/** Regimes are tabulated for weeks since 1970-01-01 up to about 2046; beyond, the weather is average. */
const TABLE_WEEKS = 4000;
const REGIME_KNOT_WEEKS = 8;
const REGIME_LOG_SPREAD = 0.9;
/** 13:30 to 21:00 UTC: the NYSE session in winter and summer time alike. */
const US_OPEN_STEP = 162;
const US_CLOSE_STEP = 252;
const CRYPTO_PEAK_HOUR = 15;

export type ActivityPattern = 'us-equity' | 'crypto';

export interface TradingClock {
  /** Trading time at the start of the 5-minute step holding `ms`, in units of an average active step. */
  at(ms: number): number;
  /** Trading time per year, for turning an annual volatility into volatility per unit. */
  readonly perYear: number;
}

function stepWeight(pattern: ActivityPattern, stepOfWeek: number, quiet: number): number {
  // Step 0 of the table is Thursday 00:00 UTC, the weekday 1970-01-01 fell on.
  const day = Math.floor(stepOfWeek / STEPS_PER_DAY);
  const weekday = (day + 4) % 7;
  const weekend = weekday === 0 || weekday === 6;
  const step = stepOfWeek - day * STEPS_PER_DAY;
  if (pattern === 'us-equity') {
    return !weekend && step >= US_OPEN_STEP && step < US_CLOSE_STEP ? 1 : quiet * quiet;
  }
  const hour = step / 12;
  const daily = 1 + 0.3 * Math.cos((2 * Math.PI * (hour - CRYPTO_PEAK_HOUR)) / 24);
  return weekend ? quiet * quiet * daily : daily;
}

export function createTradingClock(seed: number, pattern: ActivityPattern, quiet: number): TradingClock {
  const withinWeek = new Float64Array(STEPS_PER_WEEK + 1);
  for (let i = 0; i < STEPS_PER_WEEK; i++) {
    withinWeek[i + 1] = (withinWeek[i] ?? 0) + stepWeight(pattern, i, quiet);
  }
  const weekTotal = withinWeek[STEPS_PER_WEEK] ?? 0;

  // Volatility regime: smooth log-scale noise with knots every 8 weeks, scaled to average 1.
  const regimeSeed = hash32(seed, 0x7e91);
  const regime = new Float64Array(TABLE_WEEKS);
  let regimeSum = 0;
  for (let w = 0; w < TABLE_WEEKS; w++) {
    const knot = Math.floor(w / REGIME_KNOT_WEEKS);
    const f = (w - knot * REGIME_KNOT_WEEKS) / REGIME_KNOT_WEEKS;
    const a = unit(hash32(regimeSeed, knot)) * 2 - 1;
    const b = unit(hash32(regimeSeed, knot + 1)) * 2 - 1;
    const r = Math.exp(REGIME_LOG_SPREAD * (a + (b - a) * f));
    regime[w] = r;
    regimeSum += r;
  }
  const prefix = new Float64Array(TABLE_WEEKS + 1);
  for (let w = 0; w < TABLE_WEEKS; w++) {
    regime[w] = ((regime[w] ?? 1) * TABLE_WEEKS) / regimeSum;
    prefix[w + 1] = (prefix[w] ?? 0) + (regime[w] ?? 1) * weekTotal;
  }
  const tableEnd = prefix[TABLE_WEEKS] ?? 0;

  return {
    perYear: weekTotal * WEEKS_PER_YEAR,
    at(ms: number): number {
      const g = Math.floor(ms / STEP_MS);
      const week = Math.floor(g / STEPS_PER_WEEK);
      const partial = withinWeek[g - week * STEPS_PER_WEEK] ?? 0;
      if (week >= 0 && week < TABLE_WEEKS) return (prefix[week] ?? 0) + (regime[week] ?? 1) * partial;
      if (week < 0) return week * weekTotal + partial;
      return tableEnd + (week - TABLE_WEEKS) * weekTotal + partial;
    },
  };
}
