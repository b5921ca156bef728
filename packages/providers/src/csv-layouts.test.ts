import { join } from 'node:path';
import type { Timeframe } from '@candlebase/contracts';
import { describe, expect, it } from 'vitest';
import { createCsvProvider } from './csv';
import type { CsvReport } from './csv-parse';
import { CSV_FIXTURES } from './testing/csv-fixtures';
import type { ProviderCandle } from './types';

/**
 * Each export layout, as real tools write it (fixtures/csv/<layout>/), loads to exactly the bars
 * of the equivalent plain file (fixtures/csv/plain/).
 */
const FIXTURES = CSV_FIXTURES;

async function load(
  folder: string,
  symbol: string,
  timeframe: Timeframe,
  timezone?: string,
): Promise<{ candles: ProviderCandle[]; report: CsvReport | undefined }> {
  const provider = createCsvProvider({ dir: join(FIXTURES, folder), timezone });
  const candles: ProviderCandle[] = [];
  for await (const page of provider.fetchCandles({
    symbol,
    timeframe,
    from: new Date('2000-01-01'),
    to: new Date('2100-01-01'),
  })) {
    candles.push(...page);
  }
  return { candles, report: provider.lastReport(symbol, timeframe) };
}

describe.each([
  // folder, symbol, timeframe, CSV_TIMEZONE, layout recognised
  ['yahoo', 'AAPL', '1d', undefined, 'yahoo'],
  ['yfinance-download', 'AAPL', '1d', undefined, 'yfinance-download'],
  ['yfinance-download', 'AAPL', '1h', undefined, 'yfinance-download'],
  ['yfinance', 'AAPL', '1d', undefined, 'yfinance'],
  ['yfinance', 'AAPL', '1h', undefined, 'yfinance'],
  ['metatrader4', 'AAPL', '5m', 'America/New_York', 'metatrader4'],
  ['metatrader4', 'EUR-USD', '1h', undefined, 'metatrader4'],
  ['metatrader5', 'EUR-USD', '1h', undefined, 'metatrader5'],
  ['metatrader5', 'AAPL', '1d', undefined, 'metatrader5'],
  ['binance', 'BTC-USD', '1h', undefined, 'binance'],
  ['binance', 'ETH-USD', '1h', undefined, 'binance'],
  ['stooq', 'AAPL', '1d', undefined, 'plain'],
  ['stooq-bulk', 'AAPL', '1d', undefined, 'stooq'],
  ['stooq-bulk', 'AAPL', '5m', undefined, 'stooq'],
  ['tradingview', 'AAPL', '1d', undefined, 'tradingview'],
  ['tradingview', 'AAPL', '1h', undefined, 'tradingview'],
] as const)('the %s layout (%s %s)', (folder, symbol, timeframe, timezone, layout) => {
  it('loads to the same bars as the plain file', async () => {
    const plain = await load('plain', symbol, timeframe);
    const other = await load(folder, symbol, timeframe, timezone);
    expect(plain.candles.length).toBeGreaterThan(2);
    expect(other.report?.layout).toBe(layout);
    expect(other.candles).toEqual(plain.candles);
  });
});

describe('what the layouts report', () => {
  it('skips and counts Yahoo null rows, with their lines', async () => {
    const { report } = await load('yahoo', 'AAPL', '1d');
    expect(report?.rows).toBe(4);
    expect(report?.skipped).toEqual({
      count: 1,
      rows: [{ line: 4, reason: 'no prices (null), a bar without trades' }],
    });
    expect(report?.notes).toContain('1 row without prices (null) was skipped');
    expect(report).toMatchObject({ first: '2024-01-02T00:00:00.000Z', last: '2024-01-08T00:00:00.000Z' });
  });

  it('stores yfinance 1h bars stamped at :30 New York at their own open: the regular session grid', async () => {
    const { candles, report } = await load('yfinance', 'AAPL', '1h');
    // Seven bars, 09:30 to 15:30 New York (14:30Z to 20:30Z in January), each where yfinance put it.
    expect(candles.map((c) => new Date(c.ts).toISOString().slice(11, 16))).toEqual([
      '14:30',
      '15:30',
      '16:30',
      '17:30',
      '18:30',
      '19:30',
      '20:30',
    ]);
    expect(report?.notes).toEqual([]);
  });

  it('stores MetaTrader 5 tick volume when the real volume is zero throughout, and real volume otherwise', async () => {
    expect((await load('metatrader5', 'EUR-USD', '1h')).report?.volume).toBe('tick volume');
    expect((await load('metatrader5', 'AAPL', '1d')).report?.volume).toBe('volume');
  });

  it('reads Binance microsecond open times (2025 on) as the same instants as milliseconds', async () => {
    const { candles } = await load('binance', 'ETH-USD', '1h');
    expect(candles.map((c) => new Date(c.ts).toISOString())).toEqual([
      '2025-01-01T00:00:00.000Z',
      '2025-01-01T01:00:00.000Z',
      '2025-01-01T02:00:00.000Z',
    ]);
    expect(candles[0]?.trades).toBe(47134);
  });

  it.each([
    ['BOM', 'a byte-order mark and CRLF', ','],
    ['SEMI', 'semicolons and decimal commas', ';'],
    ['TAB', 'tabs', '\t'],
    ['NAMED', 'a quoted name field holding a newline', ','],
  ])('reads a plain file with %s (%s)', async (symbol, _what, delimiter) => {
    const plain = await load('plain', 'AAPL', '1d');
    const variant = await load('variants', symbol, '1d');
    expect(variant.report?.delimiter).toBe(delimiter);
    expect(variant.candles).toEqual(plain.candles);
  });

  it('reads a MetaTrader 5 export saved as UTF-16 with a byte-order mark', async () => {
    const plain = await load('plain', 'EUR-USD', '1h');
    const variant = await load('variants', 'UTF16', '1h');
    expect(variant.report?.layout).toBe('metatrader5');
    expect(variant.candles).toEqual(plain.candles);
  });

  it('numbers the lines of a file whose quoted fields hold newlines by where each row starts', async () => {
    const { report } = await load('variants', 'NAMED', '1d');
    expect(report?.rows).toBe(4);
  });
});
