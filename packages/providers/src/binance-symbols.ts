import { parsePair, QUOTES } from './pairs';
import { ProviderError } from './types';

/**
 * Our pair to Binance's spot symbol: `BTC-USD` -> `BTCUSDT`, `ETH-USDT` -> `ETHUSDT`,
 * `SOL-BTC` -> `SOLBTC`, `ETH-EUR` -> `ETHEUR`. Binance has no USD spot market, so USD means
 * USDT. Anything that is not a crypto pair (an equity such as AAPL) is refused, not guessed.
 */
export function toBinanceSymbol(symbol: string): string {
  // Any quote: Binance itself answers "Invalid symbol" for a pair it lacks, which we pass on in words.
  const pair = parsePair(symbol, { anyQuote: true });
  if (!pair) {
    throw new ProviderError(
      `Binance only serves crypto pairs such as BTC-USD or ETH-BTC; ${symbol} looks like a stock or another non-crypto symbol`,
      { retryable: false },
    );
  }
  return `${pair.base}${pair.quote === 'USD' ? 'USDT' : pair.quote}`;
}

// Longest first, so ETHFDUSD splits as ETH + FDUSD rather than ETHFD + USD.
const QUOTES_LONGEST_FIRST = [...QUOTES].filter((q) => q !== 'USD').sort((a, b) => b.length - a.length);

/**
 * Binance's spot symbol back to ours: `ETHBTC` -> `ETH-BTC`. USDT comes back as USD (`BTCUSDT` ->
 * `BTC-USD`), the name the rest of Candlebase and the other providers use for that market, so
 * `toBinanceSymbol(fromBinanceSymbol(s)) === s` for every symbol this understands. Undefined when
 * no known quote currency ends the symbol.
 */
export function fromBinanceSymbol(binanceSymbol: string): string | undefined {
  const upper = binanceSymbol.trim().toUpperCase();
  for (const quote of QUOTES_LONGEST_FIRST) {
    const base = upper.slice(0, -quote.length);
    if (upper.endsWith(quote) && /^[A-Z0-9]{2,15}$/.test(base)) return `${base}-${quote === 'USDT' ? 'USD' : quote}`;
  }
  return undefined;
}
