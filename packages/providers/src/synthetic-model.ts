import { type CalendarName, calendarFor } from '@candlebase/calendar';
import { type AssetClass, guessAssetClass } from '@candlebase/contracts';
import { createTradingClock, type TradingClock } from './synthetic-clock';
import { hash32, hashString, logUniform, unit } from './synthetic-noise';
import { type Brownian, createBrownian } from './synthetic-path';

/**
 * Everything about a symbol that the synthetic provider derives from its name, computed once: a
 * base price, drift and volatility, trading calendar, and volume habits. The same name always
 * gives the same market.
 */
export interface SymbolModel {
  symbol: string;
  assetClass: AssetClass;
  calendar: CalendarName;
  seed: number;
  clock: TradingClock;
  brownian: Brownian;
  /** Log-price volatility per unit of trading time. */
  sigma: number;
  /** log(base price) + drift * (t - ANCHOR_MS) is the trend the noise moves around. */
  logBase: number;
  driftPerMs: number;
  /** Noise at ANCHOR_MS, subtracted so the price there is the base price. */
  anchorNoise: number;
  /** Prices are rounded to 1 / priceScale (cents for most). */
  priceScale: number;
  /** Equities: shares per session. Crypto: quote-currency notional per day. */
  dailyVolume: number;
  /** Equities: shares per trade. Crypto: notional per trade. */
  tradeSize: number;
  volumeInNotional: boolean;
}

export const ANCHOR_MS = Date.UTC(2025, 0, 1);
const YEAR_MS = 365.25 * 86_400_000;

function cryptoBase(symbol: string, h: number): number {
  const asset = symbol.split(/[-/:]/)[0] ?? symbol;
  if (asset === 'BTC' || asset === 'WBTC') return logUniform(h, 25_000, 70_000);
  if (asset === 'ETH') return logUniform(h, 1_200, 4_000);
  return logUniform(h, 0.05, 300);
}

function priceScaleFor(base: number): number {
  if (base >= 1) return 100;
  if (base >= 0.01) return 10_000;
  return 1_000_000;
}

export function buildSymbolModel(rawSymbol: string): SymbolModel {
  const symbol = rawSymbol.trim().toUpperCase();
  const assetClass = guessAssetClass(symbol);
  const calendar = calendarFor(assetClass);
  const seed = hashString(symbol);
  const r = (i: number) => hash32(seed, 100 + i);
  const crypto = assetClass === 'crypto';

  const base = crypto ? cryptoBase(symbol, r(0)) : logUniform(r(0), 20, 500);
  const annualSigma = crypto ? 0.45 + 0.5 * unit(r(1)) : 0.18 + 0.37 * unit(r(1));
  const annualDrift = crypto ? 0.05 + 0.15 * unit(r(2)) : 0.01 + 0.08 * unit(r(2));
  // Outside its active hours a market moves at this fraction of its active pace (in standard deviation).
  const clock = createTradingClock(seed, crypto ? 'crypto' : 'us-equity', crypto ? 0.75 : 0.25);
  const brownian = createBrownian(hash32(seed, 7));
  const sigma = annualSigma / Math.sqrt(clock.perYear);

  return {
    symbol,
    assetClass,
    calendar,
    seed,
    clock,
    brownian,
    sigma,
    logBase: Math.log(base),
    driftPerMs: annualDrift / YEAR_MS,
    anchorNoise: sigma * brownian.at(clock.at(ANCHOR_MS)),
    priceScale: priceScaleFor(base),
    dailyVolume: crypto
      ? logUniform(r(3), base > 1_000 ? 2e8 : 2e6, base > 1_000 ? 5e9 : 3e8)
      : logUniform(r(3), 4e5, 4e7),
    tradeSize: crypto ? logUniform(r(4), 200, 3_000) : logUniform(r(4), 60, 250),
    volumeInNotional: crypto,
  };
}
