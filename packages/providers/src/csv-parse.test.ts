import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectCsvFile, parseCsvFile } from './csv-parse';
import { CSV_FIXTURES } from './testing/csv-fixtures';
import type { ProviderCandle } from './types';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'candlebase-csv-parse-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What an upload preview calls: a path plus symbol, timeframe and zone, no folder layout needed. */
describe('parseCsvFile', () => {
  it('returns the validated pages and a report of the file', async () => {
    const file = await parseCsvFile(join(CSV_FIXTURES, 'metatrader4', 'AAPL_5m.csv'), {
      symbol: 'AAPL',
      timeframe: '5m',
      zone: 'America/New_York',
    });
    expect(file.report).toMatchObject({
      file: 'AAPL_5m.csv',
      layout: 'metatrader4',
      delimiter: ',',
      zone: 'America/New_York',
      calendar: 'nyse',
      rows: 6,
      skipped: { count: 0, rows: [] },
      errors: [],
      first: '2024-01-02T14:30:00.000Z',
      last: '2024-01-02T14:55:00.000Z',
      volume: 'volume',
    });
    const pages: ProviderCandle[][] = [];
    for await (const page of file.pages({ pageSize: 4 })) pages.push(page);
    expect(pages.map((p) => p.length)).toEqual([4, 2]);
    const ranged: ProviderCandle[] = [];
    for await (const page of file.pages({
      from: Date.parse('2024-01-02T14:40:00Z'),
      to: Date.parse('2024-01-02T14:50:00Z'),
    })) {
      ranged.push(...page);
    }
    expect(ranged.map((c) => new Date(c.ts).toISOString())).toEqual([
      '2024-01-02T14:40:00.000Z',
      '2024-01-02T14:45:00.000Z',
    ]);
  });

  it('throws at the first bad row, naming the file and line, and the zone setting the caller offers', async () => {
    const error = await parseCsvFile(join(CSV_FIXTURES, 'metatrader4', 'AAPL_5m.csv'), {
      symbol: 'AAPL',
      timeframe: '5m',
      label: 'upload.csv',
      zoneHint: 'pick the zone of the file',
    }).catch((err: unknown) => err);
    expect(error).toMatchObject({
      message:
        'upload.csv:2: timestamp "2024.01.02 09:30" has no zone (no Z or offset), and no zone is declared for this file: pick the zone of the file',
      retryable: false,
    });
  });

  it('refuses a zone that is not one', async () => {
    await expect(
      parseCsvFile(join(CSV_FIXTURES, 'plain', 'AAPL_1d.csv'), {
        symbol: 'AAPL',
        timeframe: '1d',
        zone: 'Mars/Olympus',
      }),
    ).rejects.toThrow('AAPL_1d.csv: "Mars/Olympus" is not a time zone');
  });
});

describe('inspectCsvFile', () => {
  it('samples the bars with the volume the file will store', async () => {
    const { report, sample } = await inspectCsvFile(join(CSV_FIXTURES, 'metatrader5', 'EUR-USD_1h.csv'), {
      symbol: 'EUR-USD',
      timeframe: '1h',
      zone: 'Europe/Athens',
      sampleSize: 2,
    });
    expect(report.volume).toBe('tick volume');
    expect(sample.map((c) => c.volume)).toEqual([1834, 2121]);
  });

  it('collects refused rows with their lines instead of stopping, beside skipped ones and a sample', async () => {
    const path = join(dir, 'MIXED_1d.csv');
    await writeFile(
      path,
      [
        'Date,Open,High,Low,Close,Adj Close,Volume',
        '2024-01-02,187.15,188.44,183.89,185.64,184.77,82488700',
        '2024-01-03,184.22,185.88,183.43,184.25,183.38,58414500',
        '2024-01-04,null,null,null,null,null,null',
        '2024-01-05,181.99,180.76,182.17,181.18,180.33,62303300',
        '2024-01-06,181.99,182.76,180.17,181.18,180.33,62303300',
        '2024-01-08,182.09,185.60,181.50,185.56,184.68,59144500',
      ].join('\n'),
    );
    const { report, sample } = await inspectCsvFile(path, { symbol: 'AAPL', timeframe: '1d', sampleSize: 2 });
    expect(report.layout).toBe('yahoo');
    expect(report.rows).toBe(3);
    expect(report.skipped).toEqual({ count: 1, rows: [{ line: 4, reason: 'no prices (null), a bar without trades' }] });
    expect(report.errors).toEqual([
      { line: 5, reason: 'high 180.76 is below low 182.17' },
      { line: 6, reason: '2024-01-06 is not a trading day on the nyse calendar' },
    ]);
    expect(report.errorCount).toBe(2);
    const capped = await inspectCsvFile(path, { symbol: 'AAPL', timeframe: '1d', maxErrors: 1 });
    expect(capped.report.errors).toHaveLength(1);
    expect(capped.report.errorCount).toBe(2);
    expect(sample.map((c) => new Date(c.ts).toISOString().slice(0, 10))).toEqual(['2024-01-02', '2024-01-03']);
    expect(report).toMatchObject({ first: '2024-01-02T00:00:00.000Z', last: '2024-01-08T00:00:00.000Z' });
  });

  it('reports a header it cannot read as the error of line 1', async () => {
    const path = join(dir, 'ODD_1d.csv');
    await writeFile(path, 'when,price\n2024-01-02,1\n');
    const { report } = await inspectCsvFile(path, { symbol: 'AAPL', timeframe: '1d' });
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]?.line).toBe(1);
    expect(report.errors[0]?.reason).toMatch(/^the header lacks a time/);
    expect(report.rows).toBe(0);
  });
});

/** The variants of the layouts that the fixture folders do not hold. */
describe('layout variants', () => {
  async function bars(name: string, text: string, timeframe: '5m' | '1h' | '1d', symbol = 'AAPL', zone?: string) {
    const path = join(dir, name);
    await writeFile(path, text);
    const file = await parseCsvFile(path, { symbol, timeframe, zone });
    const out: ProviderCandle[] = [];
    for await (const page of file.pages()) out.push(...page);
    return { report: file.report, out };
  }

  it('yfinance 0.2.51 to 0.2.53, with an Adj Close column in its three header rows', async () => {
    const { report, out } = await bars(
      'YF051_1h.csv',
      [
        'Price,Adj Close,Close,High,Low,Open,Volume',
        'Ticker,AAPL,AAPL,AAPL,AAPL,AAPL,AAPL',
        'Datetime,,,,,,',
        '2024-01-02 14:30:00+00:00,186.04,186.04,188.44,185.83,187.15,18321452',
      ].join('\n'),
      '1h',
    );
    expect(report.layout).toBe('yfinance-download');
    expect(out).toEqual([
      {
        ts: Date.parse('2024-01-02T14:30:00Z'),
        open: 187.15,
        high: 188.44,
        low: 185.83,
        close: 186.04,
        volume: 18321452,
        vwap: null,
        trades: null,
      },
    ]);
  });

  it('Binance futures files, whose header names the columns (open_time, count)', async () => {
    const { report, out } = await bars(
      'BTC-USDT_1h.csv',
      [
        'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore',
        '1704067200000,42314.00,42603.20,42289.60,42503.90,7694.162,1704070799999,326615402.53340,89462,3906.407,165837640.71570,0',
      ].join('\n'),
      '1h',
      'BTC-USDT',
    );
    expect(report.layout).toBe('binance');
    expect(out[0]).toMatchObject({ ts: Date.parse('2024-01-01T00:00:00Z'), close: 42503.9, trades: 89462 });
  });

  it('MetaTrader 4 without a volume column stores volume 0, and says so', async () => {
    const { report, out } = await bars(
      'EUR-USD_1h.csv',
      '2024.01.03,00:00,1.10381,1.10420,1.10340,1.10395\n',
      '1h',
      'EUR-USD',
      'UTC',
    );
    expect(report.layout).toBe('metatrader4');
    expect(report.notes).toContain('the file has no volume column, so volume is stored as 0');
    expect(out[0]).toMatchObject({ ts: Date.parse('2024-01-03T00:00:00Z'), volume: 0 });
  });

  it("refuses a Stooq file whose <PER> is not the file's timeframe", async () => {
    const path = join(dir, 'STQ_1h.csv');
    await writeFile(
      path,
      '<TICKER>,<PER>,<DATE>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>,<OPENINT>\nAAPL.US,5,20240102,153000,187.15,187.70,186.90,187.10,3012345,0\n',
    );
    await expect(parseCsvFile(path, { symbol: 'AAPL', timeframe: '1h', zone: 'Europe/Warsaw' })).rejects.toThrow(
      'STQ_1h.csv:2: the <PER> column says 5, which is not 1h bars',
    );
  });
});
