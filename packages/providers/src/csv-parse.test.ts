import { describe, expect, it } from 'vitest';
import { parseHeader, parseRow, parseTimestamp, splitCsvLine } from './csv-parse';

const iso = (ms: number) => new Date(ms).toISOString();

describe('parseTimestamp', () => {
  it('reads ISO 8601 dates and date-times, UTC unless an offset is given', () => {
    expect(iso(parseTimestamp('2024-01-02'))).toBe('2024-01-02T00:00:00.000Z');
    expect(iso(parseTimestamp('2024-01-02T14:30:00Z'))).toBe('2024-01-02T14:30:00.000Z');
    expect(iso(parseTimestamp('2024-01-02 14:30'))).toBe('2024-01-02T14:30:00.000Z');
    expect(iso(parseTimestamp('2024-01-02T09:30:00-05:00'))).toBe('2024-01-02T14:30:00.000Z');
    expect(iso(parseTimestamp('2024-01-02T15:30:00.250+0100'))).toBe('2024-01-02T14:30:00.250Z');
  });

  it('tells epoch seconds from milliseconds by size', () => {
    expect(iso(parseTimestamp('1704205800'))).toBe('2024-01-02T14:30:00.000Z');
    expect(iso(parseTimestamp('1704205800000'))).toBe('2024-01-02T14:30:00.000Z');
    expect(iso(parseTimestamp('1704205800.5'))).toBe('2024-01-02T14:30:00.500Z');
  });

  it('refuses what it cannot read for certain', () => {
    expect(() => parseTimestamp('2024-02-30')).toThrow(/not a real date/);
    expect(() => parseTimestamp('2024-01-02T25:00')).toThrow(/not a real date/);
    expect(() => parseTimestamp('02/01/2024')).toThrow(/not an ISO 8601/);
    expect(() => parseTimestamp('20240102')).toThrow(/neither epoch seconds nor milliseconds/);
    expect(() => parseTimestamp('')).toThrow(/not an ISO 8601/);
  });
});

describe('parseHeader and parseRow', () => {
  it('finds columns by name, in any order and case, with timestamp aliases', () => {
    const layout = parseHeader('\uFEFFDate,Close,Open,High,Low,Adj Close,Volume');
    expect(parseRow('2024-01-02,101,100,102,99,100.5,1000', layout)).toEqual({
      ts: Date.parse('2024-01-02T00:00:00Z'),
      open: 100,
      high: 102,
      low: 99,
      close: 101,
      volume: 1000,
      vwap: null,
      trades: null,
    });
  });

  it('reads optional vwap and trades, empty meaning unknown', () => {
    const layout = parseHeader('ts,open,high,low,close,volume,vwap,trades');
    expect(parseRow('1704205800,1,2,1,2,10,1.5,7', layout)).toMatchObject({ vwap: 1.5, trades: 7 });
    expect(parseRow('1704205800,1,2,1,2,10,,', layout)).toMatchObject({ vwap: null, trades: null });
  });

  it('says what is wrong with a row', () => {
    const layout = parseHeader('timestamp,open,high,low,close,volume');
    expect(() => parseRow('2024-01-02,100,101.2,103.5,102,5', layout)).toThrow('high 101.2 is below low 103.5');
    expect(() => parseRow('2024-01-02,100,101,99,100', layout)).toThrow('expected 6 columns as in the header, found 5');
    expect(() => parseRow('2024-01-02,abc,101,99,100,5', layout)).toThrow('open "abc" is not a number');
    expect(() => parseRow('2024-01-02,100,101,99,,5', layout)).toThrow('close "" is not a number');
    expect(() => parseRow('2024-01-02,0,101,99,100,5', layout)).toThrow('open 0 is not a positive price');
    expect(() => parseRow('2024-01-02,100,101,99,102,5', layout)).toThrow('close 102 is above high 101');
    expect(() => parseRow('2024-01-02,100,101,99,100,-5', layout)).toThrow('volume -5 is negative');
  });

  it('refuses a header without the required columns', () => {
    expect(() => parseHeader('2024-01-02,1,2,1,2,10')).toThrow(
      /the header lacks timestamp, open, high, low, close, volume/,
    );
    expect(() => parseHeader('time,date,open,high,low,close,volume')).toThrow(/timestamp column twice/);
  });

  it('splits quoted fields', () => {
    expect(splitCsvLine('"2024-01-02","1,5",x ,"say ""hi"""')).toEqual(['2024-01-02', '1,5', 'x', 'say "hi"']);
  });
});
