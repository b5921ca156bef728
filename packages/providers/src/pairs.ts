import { FX_CURRENCIES, isFxPair, type SymbolPair, splitPair } from '@candlebase/contracts';

/** Quotes that make a pair crypto when a leg is not an ISO 4217 currency (BTC-USD, ETH-USDT, SOL-BTC). */
export const CRYPTO_QUOTES = new Set(['USDT', 'USDC', 'FDUSD', 'TUSD', 'BUSD', 'DAI', 'BTC', 'ETH', 'BNB']);

/**
 * Currencies we accept as the quote of `BASE-QUOTE`. A closed list, because a dash alone does not
 * make a pair: `BRK-B` is a share class, not B-quoted Berkshire.
 */
export const QUOTES: ReadonlySet<string> = new Set([...FX_CURRENCIES, ...CRYPTO_QUOTES]);

export type CurrencyPair = SymbolPair;

/**
 * `BTC-USD` or `BTC/USD` to its two currencies; undefined for anything that is not such a pair.
 * `anyQuote` accepts any three-to-six-letter quote, for a source that only lists pairs and can say
 * itself which it lacks (a one- or two-letter suffix such as `BRK-B` is never a quote).
 */
export function parsePair(symbol: string, { anyQuote = false } = {}): CurrencyPair | undefined {
  const pair = splitPair(symbol);
  if (pair === undefined || !(anyQuote || QUOTES.has(pair.quote))) return undefined;
  return pair;
}

/** Both legs ISO 4217 currencies (metals included): foreign exchange, not crypto. */
export function isFiatPair(pair: CurrencyPair): boolean {
  return isFxPair(pair);
}
