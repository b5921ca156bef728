import { describe, expect, it } from 'vitest';
import {
  applyStatusChange,
  applySymbolChange,
  decodeSymbolList,
  encodeSymbolList,
  symbolListSnapshotSchema,
} from './symbol-list';
import type { SymbolSummary } from './symbols';

const row = (symbol: string, over: Partial<SymbolSummary> = {}): SymbolSummary => ({
  symbol,
  name: `${symbol} Inc.`,
  asset_class: 'equity',
  exchange: 'XNAS',
  currency: 'USD',
  provider: 'synthetic',
  session: 'regular',
  active: true,
  status: 'fresh',
  coverage: [
    { timeframe: '5m', first: '2024-01-02T14:30:00.000Z', last: '2024-03-08T20:55:00.000Z', count: 3120 },
    { timeframe: '1d', first: '2023-01-03T00:00:00.000Z', last: '2024-03-08T00:00:00.000Z', count: 296 },
  ],
  last_candle_at: '2024-03-08T20:55:00.000Z',
  records: 3416,
  last_error: null,
  updated_at: '2024-03-08T21:00:00.123Z',
  ...over,
});

const list: SymbolSummary[] = [
  row('AAPL'),
  row('BTC-USD', { asset_class: 'crypto', exchange: null, status: 'backfilling', session: 'extended' }),
  row('KO', { name: null, provider: null, currency: null, active: false, updated_at: '2021-06-30T09:15:42.007Z' }),
  row('NEW', { status: 'no_data', coverage: [], last_candle_at: null, records: 0 }),
  row('ODD', {
    status: 'error',
    last_error: 'The provider does not know this symbol',
    coverage: [{ timeframe: '1h', first: null, last: '2024-03-08T20:00:00.001Z', count: 0 }],
    last_candle_at: '2024-03-08T20:00:00.001Z',
    records: 0,
  }),
];

describe('the symbol list snapshot', () => {
  it('decodes to the rows it was made from, field for field, and passes its own schema', () => {
    const snap = encodeSymbolList(list, 'abc:7');
    expect(symbolListSnapshotSchema.parse(snap)).toEqual(snap);
    expect(decodeSymbolList(JSON.parse(JSON.stringify(snap)))).toEqual(list);
    expect(snap.seq).toBe('abc:7');
    // What repeats is stored once.
    expect(snap.profiles.length).toBeLessThan(list.length);
    expect(snap.strings.filter((s) => s === 'XNAS')).toHaveLength(1);
  });

  it('is empty for an empty list', () => {
    expect(decodeSymbolList(encodeSymbolList([], 'abc:0'))).toEqual([]);
  });

  it('is a fraction of the rows as objects', () => {
    const many = Array.from({ length: 2000 }, (_, i) => row(`S${String(i).padStart(5, '0')}`, { records: 3416 }));
    const compact = JSON.stringify(encodeSymbolList(many, 'abc:1')).length;
    expect(compact * 5).toBeLessThan(JSON.stringify(many).length);
  });
});

describe('applying changes', () => {
  it('replaces changed rows, adds new ones in symbol order, drops removed ones, keeps the rest as they were', () => {
    const next = applySymbolChange(list, { symbols: [row('KO', { status: 'stale' }), row('GOOG')], removed: ['NEW'] });
    expect(next.map((s) => s.symbol)).toEqual(['AAPL', 'BTC-USD', 'GOOG', 'KO', 'ODD']);
    expect(next.find((s) => s.symbol === 'KO')?.status).toBe('stale');
    expect(next[0]).toBe(list[0]);
  });

  it('moves only the statuses named', () => {
    const next = applyStatusChange(list, [['AAPL', 'stale']]);
    expect(next.map((s) => s.status)).toEqual(['stale', 'backfilling', 'fresh', 'no_data', 'error']);
    expect(next[1]).toBe(list[1]);
  });
});
