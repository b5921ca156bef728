import { describe, expect, it } from 'vitest';
import { calendarFor, isTradingDay, sessionOf, sessionsBetween } from './sessions';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('calendarFor', () => {
  it('maps asset classes to calendars', () => {
    expect(calendarFor('equity')).toBe('nyse');
    expect(calendarFor('etf')).toBe('nyse');
    expect(calendarFor('index')).toBe('nyse');
    expect(calendarFor('crypto')).toBe('24x7');
    expect(calendarFor('fx')).toBe('fx');
    expect(calendarFor('equity', 'extended')).toBe('nyse-extended');
    expect(calendarFor('etf', 'extended')).toBe('nyse-extended');
    expect(calendarFor('crypto', 'extended')).toBe('24x7');
  });
});

describe('isTradingDay', () => {
  it('knows weekends and holidays', () => {
    expect(isTradingDay('nyse', '2024-11-27')).toBe(true);
    expect(isTradingDay('nyse', '2024-11-28')).toBe(false);
    expect(isTradingDay('nyse', '2024-11-30')).toBe(false);
    expect(isTradingDay('nyse', '2021-12-31')).toBe(true);
    expect(isTradingDay('24x7', '2024-11-28')).toBe(true);
    expect(isTradingDay('24x7', '2024-11-30')).toBe(true);
  });

  it('refuses dates that are not YYYY-MM-DD or do not exist', () => {
    expect(() => isTradingDay('nyse', '2024-02-30')).toThrow(/not a real date/);
    expect(() => isTradingDay('nyse', '2024-2-3')).toThrow(/YYYY-MM-DD/);
  });
});

describe('sessionOf', () => {
  it('follows New York daylight saving time', () => {
    expect(iso(sessionOf('nyse', '2024-03-08')?.open)).toBe('2024-03-08T14:30:00.000Z');
    expect(iso(sessionOf('nyse', '2024-03-08')?.close)).toBe('2024-03-08T21:00:00.000Z');
    expect(iso(sessionOf('nyse', '2024-03-11')?.open)).toBe('2024-03-11T13:30:00.000Z');
    expect(iso(sessionOf('nyse', '2024-11-01')?.close)).toBe('2024-11-01T20:00:00.000Z');
    expect(iso(sessionOf('nyse', '2024-11-04')?.close)).toBe('2024-11-04T21:00:00.000Z');
  });

  it('uses the rules in force at the time (DST began in April before 2007)', () => {
    expect(iso(sessionOf('nyse', '2005-04-01')?.open)).toBe('2005-04-01T14:30:00.000Z');
    expect(iso(sessionOf('nyse', '2005-04-04')?.open)).toBe('2005-04-04T13:30:00.000Z');
    expect(iso(sessionOf('nyse', '2006-03-13')?.open)).toBe('2006-03-13T14:30:00.000Z');
    expect(iso(sessionOf('nyse', '2007-03-12')?.open)).toBe('2007-03-12T13:30:00.000Z');
  });

  it('honours early closes at 13:00 New York time', () => {
    expect(iso(sessionOf('nyse', '2024-11-29')?.close)).toBe('2024-11-29T18:00:00.000Z');
    expect(iso(sessionOf('nyse', '2024-07-03')?.close)).toBe('2024-07-03T17:00:00.000Z');
  });

  it('is null on a closed day and the whole UTC day for 24x7', () => {
    expect(sessionOf('nyse', '2024-03-29')).toBeNull();
    expect(sessionOf('24x7', '2024-03-30')).toEqual({
      open: Date.parse('2024-03-30T00:00:00Z'),
      close: Date.parse('2024-03-31T00:00:00Z'),
    });
  });
});

describe('sessionsBetween', () => {
  it('lists the sessions that overlap a range', () => {
    const sessions = [
      ...sessionsBetween('nyse', Date.parse('2024-11-27T20:00:00Z'), Date.parse('2024-12-03T00:00:00Z')),
    ];
    expect(sessions.map((s) => iso(s.open))).toEqual([
      '2024-11-27T14:30:00.000Z',
      '2024-11-29T14:30:00.000Z',
      '2024-12-02T14:30:00.000Z',
    ]);
  });
});

describe('historical early closes', () => {
  it('closes at 14:00 New York before 1993 and at 13:00 since', () => {
    expect(iso(sessionOf('nyse', '1991-12-24')?.close)).toBe('1991-12-24T19:00:00.000Z');
    expect(iso(sessionOf('nyse', '1996-07-05')?.close)).toBe('1996-07-05T17:00:00.000Z');
    expect(iso(sessionOf('nyse', '1996-07-03')?.close)).toBe('1996-07-03T20:00:00.000Z');
    expect(iso(sessionOf('nyse', '1990-07-03')?.close)).toBe('1990-07-03T20:00:00.000Z');
    expect(sessionOf('nyse', '2012-10-29')).toBeNull();
  });
});
