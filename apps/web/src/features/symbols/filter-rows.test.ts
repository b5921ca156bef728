import type { SymbolSummary } from '@candlebase/contracts';
import { describe, expect, it } from 'vitest';
import { filterRows } from './SymbolTable';

function row(symbol: string, name: string | null, status: SymbolSummary['status']): { original: SymbolSummary } {
  return {
    original: {
      symbol,
      name,
      asset_class: 'equity',
      exchange: null,
      currency: null,
      provider: null,
      session: 'regular',
      active: true,
      status,
      coverage: [],
      last_candle_at: null,
      records: 0,
      last_error: null,
      updated_at: '2024-01-02T00:00:00.000Z',
    },
  };
}

const ROWS = [
  row('AAPL', 'Apple Inc.', 'fresh'),
  row('MSFT', 'Microsoft', 'stale'),
  row('BTC-USD', null, 'fresh'),
  row('SNAP', 'Snap Inc.', 'error'),
];
const symbols = (rows: { original: SymbolSummary }[]) => rows.map((r) => r.original.symbol);

describe('filterRows', () => {
  it('with no search and every status, hands back the very same rows', () => {
    expect(filterRows(ROWS, '  ', 'all')).toBe(ROWS);
  });

  it('searches symbol and name, case-insensitive, trimmed, keeping the given order', () => {
    expect(symbols(filterRows(ROWS, ' inc ', 'all'))).toEqual(['AAPL', 'SNAP']);
    expect(symbols(filterRows(ROWS, 'btc', 'all'))).toEqual(['BTC-USD']);
    expect(symbols(filterRows([...ROWS].reverse(), 'a', 'all'))).toEqual(['SNAP', 'AAPL']);
  });

  it('filters by status, alone and with a search', () => {
    expect(symbols(filterRows(ROWS, '', 'fresh'))).toEqual(['AAPL', 'BTC-USD']);
    expect(symbols(filterRows(ROWS, 'apple', 'stale'))).toEqual([]);
  });

  it('does not match across the symbol and name boundary', () => {
    expect(filterRows(ROWS, 'aaplapple', 'all')).toEqual([]);
  });
});
