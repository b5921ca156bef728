import { parsePair, QUOTES } from './pairs';
import { ProviderError } from './types';

/** Stored symbol -> Binance spot symbol, for markets kept under another name (`BTC-USD` -> `BTCUSDT`). */
export type BinanceAliases = ReadonlyMap<string, string>;

/**
 * Our pair to Binance's spot symbol: `BTC-USDT` -> `BTCUSDT`, `SOL-BTC` -> `SOLBTC`, `ETH-EUR` ->
 * `ETHEUR`. A pair is its own market: Binance has no USD spot market, and USDT is another
 * currency, so `BTC-USD` is refused unless an alias names the market to use for it (a series kept
 * as BTC-USD would otherwise mix Binance's USDT prices with a USD provider's). Anything that is
 * not a crypto pair (an equity such as AAPL) is refused, not guessed.
 */
export function toBinanceSymbol(symbol: string, aliases: BinanceAliases = new Map()): string {
  const upper = symbol.trim().toUpperCase();
  const alias = aliases.get(upper);
  if (alias !== undefined) return alias;
  // Any quote: Binance itself answers "Invalid symbol" for a pair it lacks, which we pass on in words.
  const pair = parsePair(upper, { anyQuote: true });
  if (!pair) {
    throw new ProviderError(
      `Binance only serves crypto pairs such as BTC-USDT or ETH-BTC; ${symbol} looks like a stock or another non-crypto symbol`,
      { retryable: false },
    );
  }
  if (pair.quote === 'USD') {
    throw new ProviderError(
      `Binance has no ${pair.base} market in US dollars; add ${pair.base}-USDT for its USDT market, or configure BINANCE_SYMBOL_ALIASES=${upper}=${pair.base}USDT to keep this name`,
      { retryable: false },
    );
  }
  return `${pair.base}${pair.quote}`;
}

// Longest first, so ETHFDUSD splits as ETH + FDUSD rather than ETHFD + USD.
const QUOTES_LONGEST_FIRST = [...QUOTES].sort((a, b) => b.length - a.length);

/**
 * Binance's spot symbol back to ours, under its own quote: `ETHBTC` -> `ETH-BTC`, `BTCUSDT` ->
 * `BTC-USDT`, so `toBinanceSymbol(fromBinanceSymbol(s)) === s` for every symbol this understands.
 * Undefined when no known quote currency ends the symbol.
 */
export function fromBinanceSymbol(binanceSymbol: string): string | undefined {
  const upper = binanceSymbol.trim().toUpperCase();
  for (const quote of QUOTES_LONGEST_FIRST) {
    const base = upper.slice(0, -quote.length);
    if (upper.endsWith(quote) && /^[A-Z0-9]{2,15}$/.test(base)) return `${base}-${quote}`;
  }
  return undefined;
}

/** `BTC-USD=BTCUSDT,ETH-USD=ETHUSDT` into aliases; throws a sentence naming the bad entry. */
export function parseBinanceAliases(text: string): BinanceAliases {
  const aliases = new Map<string, string>();
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const match = /^([A-Z0-9][A-Z0-9.\-/:]{0,19})=([A-Z0-9]{2,20})$/.exec(entry.toUpperCase());
    if (match?.[1] === undefined || match[2] === undefined) {
      throw new Error(`"${entry}" is not SYMBOL=BINANCESYMBOL (for example BTC-USD=BTCUSDT)`);
    }
    aliases.set(match[1], match[2]);
  }
  return aliases;
}
