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
        'upload.csv:2: timestamp "2024.01.02" has no zone (no Z or offset), and no zone is declared for this file: pick the zone of the file',
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
