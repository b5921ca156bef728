import { describe, expect, it } from 'vitest';
import { isTimeZone, parseDateAndTime, parseWhen, ZoneClock } from './csv-time';

const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

describe('parseWhen', () => {
  it('reads instants: ISO with Z or an offset, and epoch seconds, milliseconds and microseconds', () => {
    const at = (text: string) => {
      const w = parseWhen(text);
      if (w.kind !== 'instant') throw new Error(`${text} is ${w.kind}`);
      return iso(w.ms);
    };
    expect(at('2024-01-02T14:30:00Z')).toBe('2024-01-02T14:30:00.000Z');
    expect(at('2024-01-02 09:30:00-05:00')).toBe('2024-01-02T14:30:00.000Z');
    expect(at('2024-01-02T15:30:00.250+0100')).toBe('2024-01-02T14:30:00.250Z');
    expect(at('1704205800')).toBe('2024-01-02T14:30:00.000Z');
    expect(at('1704205800000')).toBe('2024-01-02T14:30:00.000Z');
    expect(at('1735689600000000')).toBe('2025-01-01T00:00:00.000Z');
  });

  it('keeps the date as written beside an offset, for daily bars', () => {
    expect(parseWhen('2024-01-02 00:00:00-05:00')).toMatchObject({ kind: 'instant', day: Date.UTC(2024, 0, 2) / DAY });
  });

  it('reads zone-less times as wall times and dates as dates, never as UTC instants', () => {
    expect(parseWhen('2024-01-02 09:30')).toEqual({
      kind: 'wall',
      day: Date.UTC(2024, 0, 2) / DAY,
      minuteMs: 34_200_000,
    });
    expect(parseWhen('2024.01.02')).toEqual({ kind: 'date', day: Date.UTC(2024, 0, 2) / DAY });
    expect(parseWhen('20240102', true)).toEqual({ kind: 'date', day: Date.UTC(2024, 0, 2) / DAY });
    expect(parseDateAndTime('20240102', '153000')).toEqual({
      kind: 'wall',
      day: Date.UTC(2024, 0, 2) / DAY,
      minuteMs: 55_800_000,
    });
    expect(parseDateAndTime('2024.01.02', '09:30')).toMatchObject({ kind: 'wall', minuteMs: 34_200_000 });
  });

  it('refuses what it cannot read for certain', () => {
    expect(() => parseWhen('2024-02-30')).toThrow(/not a real date/);
    expect(() => parseWhen('2024-01-02T25:00')).toThrow(/not a real date/);
    expect(() => parseWhen('02/01/2024')).toThrow(/not a date or time this reader knows/);
    expect(() => parseWhen('20240102')).toThrow(/neither epoch seconds, milliseconds nor microseconds/);
    expect(() => parseWhen('')).toThrow(/not a date or time/);
    expect(() => parseWhen('2024-01-02T09:30 EST')).toThrow(/not a date or time/);
  });
});

describe('ZoneClock', () => {
  it('places wall times by the zone, across a DST change', () => {
    const ny = new ZoneClock('America/New_York');
    const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / DAY;
    expect(iso(ny.toInstant(day(2024, 1, 2), 34_200_000, 'x'))).toBe('2024-01-02T14:30:00.000Z');
    expect(iso(ny.toInstant(day(2024, 3, 11), 34_200_000, 'x'))).toBe('2024-03-11T13:30:00.000Z');
    // 03:30 on the morning the clocks go forward exists; 02:30 does not.
    expect(iso(ny.toInstant(day(2024, 3, 10), 3.5 * 3_600_000, 'x'))).toBe('2024-03-10T07:30:00.000Z');
    expect(() => ny.toInstant(day(2024, 3, 10), 2.5 * 3_600_000, '2024-03-10 02:30')).toThrow(
      'timestamp "2024-03-10 02:30" does not exist in America/New_York',
    );
  });

  it('knows zone names', () => {
    expect(isTimeZone('Europe/Warsaw')).toBe(true);
    expect(isTimeZone('New York')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
