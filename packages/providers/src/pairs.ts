/** Fiat currencies; a pair of two of them is foreign exchange, not crypto. */
export const FIAT = new Set([
  'USD',
  'EUR',
  'GBP',
  'JPY',
  'CHF',
  'CAD',
  'AUD',
  'NZD',
  'TRY',
  'BRL',
  'MXN',
  'ZAR',
  'PLN',
]);

/**
 * Currencies we accept as the quote of `BASE-QUOTE`. A closed list, because a dash alone does not
 * make a pair: `BRK-B` is a share class, not B-quoted Berkshire.
 */
export const QUOTES = new Set([...FIAT, 'USDT', 'USDC', 'FDUSD', 'TUSD', 'BUSD', 'DAI', 'BTC', 'ETH', 'BNB']);

export interface CurrencyPair {
  base: string;
  quote: string;
}

/**
 * `BTC-USD` or `BTC/USD` to its two currencies; undefined for anything that is not such a pair.
 * `anyQuote` accepts any three-to-six-letter quote, for a source that only lists pairs and can say
 * itself which it lacks (a one- or two-letter suffix such as `BRK-B` is never a quote).
 */
export function parsePair(symbol: string, { anyQuote = false } = {}): CurrencyPair | undefined {
  const match = /^([A-Z0-9]{2,15})[-/]([A-Z]{3,6})$/.exec(symbol.trim().toUpperCase());
  const base = match?.[1];
  const quote = match?.[2];
  if (base === undefined || quote === undefined || !(anyQuote || QUOTES.has(quote))) return undefined;
  return { base, quote };
}

export function isFiatPair(pair: CurrencyPair): boolean {
  return FIAT.has(pair.base) && FIAT.has(pair.quote);
}
