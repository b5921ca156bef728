import { FX_CURRENCIES, guessAssetClass, guessCurrency } from '@candlebase/contracts';
import { describe, expect, it } from 'vitest';
import { canonicalSymbol, symbolShape, toProviderSymbol } from './symbol-notation';

// One row per stored symbol: how each provider spells it (undefined: that provider does not serve it).
const TABLE: ReadonlyArray<{
  stored: string;
  kind: string;
  polygon: string | undefined;
  yahoo: string | undefined;
  binance: string | undefined;
  ccxt: string | undefined;
  slash: string | undefined;
}> = [
  { stored: 'AAPL', kind: 'plain', polygon: 'AAPL', yahoo: 'AAPL', binance: undefined, ccxt: undefined, slash: 'AAPL' },
  {
    stored: 'BRK.B',
    kind: 'class_share',
    polygon: 'BRK.B',
    yahoo: 'BRK-B',
    binance: undefined,
    ccxt: undefined,
    slash: 'BRK/B',
  },
  {
    stored: 'BF.B',
    kind: 'class_share',
    polygon: 'BF.B',
    yahoo: 'BF-B',
    binance: undefined,
    ccxt: undefined,
    slash: 'BF/B',
  },
  {
    stored: 'EUR-USD',
    kind: 'fx',
    polygon: 'C:EURUSD',
    yahoo: 'EURUSD=X',
    binance: undefined,
    ccxt: undefined,
    slash: 'EUR/USD',
  },
  {
    stored: 'USD-JPY',
    kind: 'fx',
    polygon: 'C:USDJPY',
    yahoo: 'USDJPY=X',
    binance: undefined,
    ccxt: undefined,
    slash: 'USD/JPY',
  },
  {
    stored: 'EUR-CZK',
    kind: 'fx',
    polygon: 'C:EURCZK',
    yahoo: 'EURCZK=X',
    binance: undefined,
    ccxt: undefined,
    slash: 'EUR/CZK',
  },
  {
    stored: 'USD-CNH',
    kind: 'fx',
    polygon: 'C:USDCNH',
    yahoo: 'USDCNH=X',
    binance: undefined,
    ccxt: undefined,
    slash: 'USD/CNH',
  },
  {
    stored: 'XAU-USD',
    kind: 'fx',
    polygon: 'C:XAUUSD',
    yahoo: 'XAUUSD=X',
    binance: undefined,
    ccxt: undefined,
    slash: 'XAU/USD',
  },
  {
    stored: 'XAG-USD',
    kind: 'fx',
    polygon: 'C:XAGUSD',
    yahoo: 'XAGUSD=X',
    binance: undefined,
    ccxt: undefined,
    slash: 'XAG/USD',
  },
  {
    stored: 'XPT-USD',
    kind: 'fx',
    polygon: 'C:XPTUSD',
    yahoo: 'XPTUSD=X',
    binance: undefined,
    ccxt: undefined,
    slash: 'XPT/USD',
  },
  {
    stored: 'XPD-USD',
    kind: 'fx',
    polygon: 'C:XPDUSD',
    yahoo: 'XPDUSD=X',
    binance: undefined,
    ccxt: undefined,
    slash: 'XPD/USD',
  },
  {
    stored: 'BTC-USD',
    kind: 'crypto',
    polygon: 'X:BTCUSD',
    yahoo: 'BTC-USD',
    binance: 'BTCUSD',
    ccxt: 'BTC/USD',
    slash: 'BTC/USD',
  },
  {
    stored: 'BTC-USDT',
    kind: 'crypto',
    polygon: 'X:BTCUSDT',
    yahoo: 'BTC-USDT',
    binance: 'BTCUSDT',
    ccxt: 'BTC/USDT',
    slash: 'BTC/USDT',
  },
  {
    stored: 'ETH-BTC',
    kind: 'crypto',
    polygon: 'X:ETHBTC',
    yahoo: 'ETH-BTC',
    binance: 'ETHBTC',
    ccxt: 'ETH/BTC',
    slash: 'ETH/BTC',
  },
  {
    stored: 'I:SPX',
    kind: 'prefixed',
    polygon: 'I:SPX',
    yahoo: undefined,
    binance: undefined,
    ccxt: undefined,
    slash: undefined,
  },
];

describe('provider symbol notation', () => {
  for (const row of TABLE) {
    it(`spells ${row.stored} per provider`, () => {
      expect(symbolShape(row.stored).kind).toBe(row.kind);
      for (const notation of ['polygon', 'yahoo', 'binance', 'ccxt', 'slash'] as const) {
        expect(toProviderSymbol(notation, row.stored), notation).toBe(row[notation]);
      }
    });
  }

  it('reads a class share in any notation as the stored BRK.B', () => {
    expect(['BRK.B', 'brk-b', 'BRK/B'].map(canonicalSymbol)).toEqual(['BRK.B', 'BRK.B', 'BRK.B']);
    expect(['BRK-B', 'BRK/B'].map((s) => toProviderSymbol('polygon', s))).toEqual(['BRK.B', 'BRK.B']);
    expect(canonicalSymbol('eur/usd')).toBe('EUR-USD');
  });

  it('maps every ISO 4217 pair to a Polygon C: ticker', () => {
    const codes = [...FX_CURRENCIES];
    expect(codes.length).toBeGreaterThan(150);
    for (const code of codes) {
      if (code === 'USD') continue;
      expect(toProviderSymbol('polygon', `${code}-USD`)).toBe(`C:${code}USD`);
      expect(toProviderSymbol('polygon', `USD-${code}`)).toBe(`C:USD${code}`);
    }
  });
});

describe('guessing an unknown symbol', () => {
  it('calls a pair of two ISO 4217 currencies FX, other quoted pairs crypto, the rest equities', () => {
    expect(['EUR-USD', 'XAU-USD', 'USD-JPY', 'GBP/CHF'].map(guessAssetClass)).toEqual(['fx', 'fx', 'fx', 'fx']);
    expect(['BTC-USD', 'ETH-USDT', 'SOL-USDC', 'BTC-EUR', 'ETH-BTC'].map(guessAssetClass)).toEqual([
      'crypto',
      'crypto',
      'crypto',
      'crypto',
      'crypto',
    ]);
    expect(['AAPL', 'BRK.B', 'BRK-B', 'BF-B'].map(guessAssetClass)).toEqual(['equity', 'equity', 'equity', 'equity']);
  });

  it('records a pair quote as its currency', () => {
    expect(['BTC-USDT', 'BTC-USD', 'EUR-USD', 'ETH-BTC', 'AAPL'].map(guessCurrency)).toEqual([
      'USDT',
      'USD',
      'USD',
      'BTC',
      null,
    ]);
  });
});
