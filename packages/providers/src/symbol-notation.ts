import { isFxPair } from '@candlebase/contracts';
import { parsePair } from './pairs';

/**
 * How each provider spells the symbols we store. Stored forms are one per market: `BRK.B` for a
 * class share, `BASE-QUOTE` for a pair (`EUR-USD`, `XAU-USD`, `BTC-USDT`), a plain ticker
 * otherwise. Each provider's row says how it writes a class share and a pair of each kind; null
 * where it does not serve that kind. A new provider is one row.
 */
export type Notation = 'polygon' | 'yahoo' | 'binance' | 'ccxt' | 'slash';

interface NotationRow {
  /** The class-share separator (`BRK.B`, `BRK-B`, `BRK/B`); null when the provider lists no shares. */
  classShare: '.' | '-' | '/' | null;
  fx: ((base: string, quote: string) => string) | null;
  crypto: ((base: string, quote: string) => string) | null;
  /** Prefixed tickers (`I:SPX`) are the provider's own and pass through. */
  passesPrefixed: boolean;
}

export const NOTATIONS: Readonly<Record<Notation, NotationRow>> = {
  polygon: {
    classShare: '.',
    fx: (b, q) => `C:${b}${q}`,
    crypto: (b, q) => `X:${b}${q}`,
    passesPrefixed: true,
  },
  yahoo: { classShare: '-', fx: (b, q) => `${b}${q}=X`, crypto: (b, q) => `${b}-${q}`, passesPrefixed: false },
  binance: { classShare: null, fx: null, crypto: (b, q) => `${b}${q}`, passesPrefixed: false },
  ccxt: { classShare: null, fx: null, crypto: (b, q) => `${b}/${q}`, passesPrefixed: false },
  // Nasdaq's and several data vendors' form (BRK/B), for a provider that writes shares that way.
  slash: { classShare: '/', fx: (b, q) => `${b}/${q}`, crypto: (b, q) => `${b}/${q}`, passesPrefixed: false },
};

export type SymbolShape =
  | { kind: 'fx' | 'crypto'; base: string; quote: string }
  | { kind: 'class_share'; root: string; share: string }
  | { kind: 'prefixed' | 'plain'; symbol: string };

// A one- or two-letter suffix is a share class (BRK.B, BF-B, MOG/A); a pair's quote has three letters or more.
const CLASS_SHARE = /^([A-Z][A-Z0-9]{0,9})[.\-/]([A-Z]{1,2})$/;

/** What a stored (or typed) symbol is, whichever separator it came with. */
export function symbolShape(symbol: string): SymbolShape {
  const upper = symbol.trim().toUpperCase();
  if (upper.includes(':')) return { kind: 'prefixed', symbol: upper };
  const share = CLASS_SHARE.exec(upper);
  if (share?.[1] !== undefined && share[2] !== undefined)
    return { kind: 'class_share', root: share[1], share: share[2] };
  const pair = parsePair(upper);
  if (pair) return { kind: isFxPair(pair) ? 'fx' : 'crypto', base: pair.base, quote: pair.quote };
  return { kind: 'plain', symbol: upper };
}

/** The stored form: class shares with a dot (BRK-B and BRK/B become BRK.B), pairs with a dash. */
export function canonicalSymbol(symbol: string): string {
  const shape = symbolShape(symbol);
  switch (shape.kind) {
    case 'class_share':
      return `${shape.root}.${shape.share}`;
    case 'fx':
    case 'crypto':
      return `${shape.base}-${shape.quote}`;
    default:
      return shape.symbol;
  }
}

/** The provider's spelling of a symbol, or undefined when that provider does not serve its kind. */
export function toProviderSymbol(notation: Notation, symbol: string): string | undefined {
  const row = NOTATIONS[notation];
  const shape = symbolShape(symbol);
  switch (shape.kind) {
    case 'fx':
      return row.fx?.(shape.base, shape.quote);
    case 'crypto':
      return row.crypto?.(shape.base, shape.quote);
    case 'class_share':
      return row.classShare === null ? undefined : `${shape.root}${row.classShare}${shape.share}`;
    case 'prefixed':
      return row.passesPrefixed ? shape.symbol : undefined;
    case 'plain':
      return row.classShare === null ? undefined : shape.symbol;
  }
}
