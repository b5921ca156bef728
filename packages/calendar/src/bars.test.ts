import { TIMEFRAME_LIST, type Timeframe } from '@candlebase/contracts';
import { describe, expect, it } from 'vitest';
import {
  alignDown,
  barCloseMs,
  barOpens,
  countBars,
  isBarOpen,
  lastBarBefore,
  latestClosedBar,
  nextBarAtOrAfter,
} from './bars';
import { CALENDAR_NAMES, type CalendarName } from './sessions';

const t = (s: string) => Date.parse(s);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const both = (cal: CalendarName, tf: Timeframe, from: string, to: string) => {
  const counted = countBars(cal, tf, t(from), t(to));
  expect([...barOpens(cal, tf, t(from), t(to))].length).toBe(counted);
  return counted;
};
const countsFor = (cal: CalendarName, from: string, to: string) =>
  Object.fromEntries(TIMEFRAME_LIST.map((tf) => [tf, both(cal, tf, from, to)]));

// A full NYSE day: 390 minutes = 78 x 5m = 26 x 15m, 7 hourly bars on the session's grid (09:30-10:30, ...,
// 15:30-16:00), 1 daily. A 13:00 early close: 210 minutes = 42 x 5m = 14 x 15m, 4 hourly bars (the last 12:30-13:00).
describe('bar counts on the NYSE calendar', () => {
  it('handles Thanksgiving week 2024 (closed Thursday, Friday closes at 13:00)', () => {
    expect(countsFor('nyse', '2024-11-25T00:00:00Z', '2024-11-30T00:00:00Z')).toEqual({
      '5m': 3 * 78 + 42,
      '15m': 3 * 26 + 14,
      '1h': 3 * 7 + 4,
      '1d': 4,
    });
  });

  it('handles July 2024 (July 3 closes early, July 4 closed)', () => {
    // 23 weekdays, one holiday: 21 full sessions and one short one.
    expect(countsFor('nyse', '2024-07-01T00:00:00Z', '2024-08-01T00:00:00Z')).toEqual({
      '5m': 21 * 78 + 42,
      '15m': 21 * 26 + 14,
      '1h': 21 * 7 + 4,
      '1d': 22,
    });
  });

  it('closes on Good Friday 2024', () => {
    expect(countsFor('nyse', '2024-03-25T00:00:00Z', '2024-03-30T00:00:00Z')).toEqual({
      '5m': 4 * 78,
      '15m': 4 * 26,
      '1h': 4 * 7,
      '1d': 4,
    });
    expect(countBars('nyse', '5m', t('2024-03-29T00:00:00Z'), t('2024-03-30T00:00:00Z'))).toBe(0);
  });

  it('keeps full days across the DST switches of 2024', () => {
    for (const [from, to] of [
      ['2024-03-04T00:00:00Z', '2024-03-16T00:00:00Z'],
      ['2024-10-28T00:00:00Z', '2024-11-09T00:00:00Z'],
    ] as const) {
      expect(countsFor('nyse', from, to)).toEqual({ '5m': 780, '15m': 260, '1h': 70, '1d': 10 });
    }
    const hours = (day: string) => [...barOpens('nyse', '1h', t(`${day}T00:00:00Z`), t(`${day}T23:59:59Z`))].map(iso);
    expect(hours('2024-03-08')[0]).toBe('2024-03-08T14:30:00.000Z');
    expect(hours('2024-03-08').at(-1)).toBe('2024-03-08T20:30:00.000Z');
    expect(hours('2024-03-11')[0]).toBe('2024-03-11T13:30:00.000Z');
    expect(hours('2024-03-11').at(-1)).toBe('2024-03-11T19:30:00.000Z');
    expect(hours('2024-11-04')[0]).toBe('2024-11-04T14:30:00.000Z');
  });

  it('trades on Friday 2021-12-31 before a Saturday New Year', () => {
    expect(countsFor('nyse', '2021-12-27T00:00:00Z', '2022-01-01T00:00:00Z')).toEqual({
      '5m': 5 * 78,
      '15m': 5 * 26,
      '1h': 5 * 7,
      '1d': 5,
    });
  });

  it('closes on Juneteenth 2023 (a Monday)', () => {
    expect(countsFor('nyse', '2023-06-19T00:00:00Z', '2023-06-24T00:00:00Z')).toEqual({
      '5m': 4 * 78,
      '15m': 4 * 26,
      '1h': 4 * 7,
      '1d': 4,
    });
  });

  it('counts whole years: 252 sessions in 2024, 250 in 2023', () => {
    expect(countBars('nyse', '1d', t('2024-01-01T00:00:00Z'), t('2025-01-01T00:00:00Z'))).toBe(252);
    expect(countBars('nyse', '5m', t('2024-01-01T00:00:00Z'), t('2025-01-01T00:00:00Z'))).toBe(249 * 78 + 3 * 42);
    expect(countBars('nyse', '1d', t('2023-01-01T00:00:00Z'), t('2024-01-01T00:00:00Z'))).toBe(250);
  });

  it('cuts at the range ends by bar open, half-open [from, to)', () => {
    // 14:30Z, the open, is the first 1h bar of 2024-11-27.
    expect(both('nyse', '1h', '2024-11-27T14:00:00Z', '2024-11-27T14:31:00Z')).toBe(1);
    expect(both('nyse', '1h', '2024-11-27T14:30:01Z', '2024-11-27T16:00:00Z')).toBe(1);
    expect(both('nyse', '5m', '2024-11-27T20:55:00Z', '2024-11-28T20:00:00Z')).toBe(1);
    expect(both('nyse', '5m', '2024-11-27T21:00:00Z', '2024-11-27T22:00:00Z')).toBe(0);
    expect(countBars('nyse', '5m', t('2024-11-27T21:00:00Z'), t('2024-11-27T20:00:00Z'))).toBe(0);
  });

  it('stamps daily bars at 00:00 UTC of the trading day', () => {
    expect([...barOpens('nyse', '1d', t('2024-11-27T00:00:00Z'), t('2024-12-03T00:00:00Z'))].map(iso)).toEqual([
      '2024-11-27T00:00:00.000Z',
      '2024-11-29T00:00:00.000Z',
      '2024-12-02T00:00:00.000Z',
    ]);
  });
});

describe('bar counts on the 24x7 calendar', () => {
  it('has every bar, weekends and holidays included', () => {
    expect(countsFor('24x7', '2024-11-25T00:00:00Z', '2024-12-02T00:00:00Z')).toEqual({
      '5m': 7 * 288,
      '15m': 7 * 96,
      '1h': 7 * 24,
      '1d': 7,
    });
    expect(both('24x7', '1h', '2024-11-25T00:30:00Z', '2024-11-25T03:00:00Z')).toBe(2);
  });
});

describe('countBars agrees with barOpens on arbitrary ranges', () => {
  it('over a thousand pseudo-random ranges', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const base = t('2023-12-20T00:00:00Z');
    for (let i = 0; i < 1000; i++) {
      const cal: CalendarName = CALENDAR_NAMES[i % CALENDAR_NAMES.length] ?? 'nyse';
      const tf = TIMEFRAME_LIST[i % TIMEFRAME_LIST.length] ?? '5m';
      const from = base + Math.floor(rand() * 40 * 86_400_000);
      const to = from + Math.floor(rand() * 10 * 86_400_000);
      expect(countBars(cal, tf, from, to)).toBe([...barOpens(cal, tf, from, to)].length);
    }
  });
});

describe('every calendar question agrees with barOpens', () => {
  it('over pseudo-random ranges of every calendar and timeframe', () => {
    let seed = 11;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const base = t('2024-02-20T00:00:00Z');
    for (let i = 0; i < 300; i++) {
      const cal = CALENDAR_NAMES[i % CALENDAR_NAMES.length] ?? 'nyse';
      const tf = TIMEFRAME_LIST[Math.floor(i / CALENDAR_NAMES.length) % TIMEFRAME_LIST.length] ?? '5m';
      const from = base + Math.floor(rand() * 30 * 86_400_000);
      const to = from + Math.floor(rand() * 4 * 86_400_000);
      const opens = [...barOpens(cal, tf, from, to)];
      expect(nextBarAtOrAfter(cal, tf, from, to), `${cal} ${tf}`).toBe(opens[0] ?? null);
      expect(lastBarBefore(cal, tf, to, from), `${cal} ${tf}`).toBe(opens.at(-1) ?? null);
      for (const o of opens.slice(0, 50)) expect(isBarOpen(cal, tf, o)).toBe(true);
      // A probe on the 5-minute clock grid: sometimes a bar, sometimes the gap between sessions.
      const probe = Math.floor((from + rand() * (to - from)) / 300_000) * 300_000;
      if (probe < from) continue;
      expect(isBarOpen(cal, tf, probe)).toBe(opens.includes(probe));
    }
  });
});

describe('isBarOpen and barCloseMs', () => {
  it('accept only aligned bars that overlap a session', () => {
    expect(isBarOpen('nyse', '1h', t('2024-11-27T14:30:00Z'))).toBe(true);
    expect(isBarOpen('nyse', '1h', t('2024-11-27T14:00:00Z'))).toBe(false);
    expect(isBarOpen('nyse', '5m', t('2024-11-27T14:32:00Z'))).toBe(false);
    expect(isBarOpen('nyse', '1d', t('2024-11-28T00:00:00Z'))).toBe(false);
    expect(iso(barCloseMs('nyse', '1d', t('2024-11-29T00:00:00Z')))).toBe('2024-11-29T18:00:00.000Z');
    expect(iso(barCloseMs('nyse', '1h', t('2024-11-27T14:30:00Z')))).toBe('2024-11-27T15:30:00.000Z');
    expect(iso(barCloseMs('nyse', '1h', t('2024-11-27T20:30:00Z')))).toBe('2024-11-27T21:00:00.000Z');
    expect(barCloseMs('nyse', '1h', t('2024-11-28T15:30:00Z'))).toBeNull();
  });
});

describe('latestClosedBar', () => {
  it('does not let a weekend or holiday make an equity stale', () => {
    const saturday = t('2024-11-30T12:00:00Z');
    expect(iso(latestClosedBar('nyse', '5m', saturday))).toBe('2024-11-29T17:55:00.000Z');
    expect(iso(latestClosedBar('nyse', '1h', saturday))).toBe('2024-11-29T17:30:00.000Z');
    expect(iso(latestClosedBar('nyse', '1d', saturday))).toBe('2024-11-29T00:00:00.000Z');
    // Monday before the open: still Friday's bars.
    expect(iso(latestClosedBar('nyse', '1h', t('2024-12-02T14:29:00Z')))).toBe('2024-11-29T17:30:00.000Z');
    // Thanksgiving Day itself points back to Wednesday's close.
    expect(iso(latestClosedBar('nyse', '1d', t('2024-11-28T22:00:00Z')))).toBe('2024-11-27T00:00:00.000Z');
  });

  it('mid-session, returns the newest bar whose interval has ended', () => {
    const now = t('2024-12-02T15:07:00Z');
    expect(iso(latestClosedBar('nyse', '5m', now))).toBe('2024-12-02T15:00:00.000Z');
    // The first hour (14:30-15:30Z) is still open.
    expect(iso(latestClosedBar('nyse', '1h', now))).toBe('2024-11-29T17:30:00.000Z');
    expect(iso(latestClosedBar('nyse', '1h', t('2024-12-02T15:30:00Z')))).toBe('2024-12-02T14:30:00.000Z');
    expect(iso(latestClosedBar('nyse', '1d', now))).toBe('2024-11-29T00:00:00.000Z');
    expect(iso(latestClosedBar('nyse', '1d', t('2024-12-02T21:00:00Z')))).toBe('2024-12-02T00:00:00.000Z');
    expect(iso(latestClosedBar('nyse', '1h', t('2024-12-02T15:29:59Z')))).toBe('2024-11-29T17:30:00.000Z');
  });

  it('runs around the clock for 24x7', () => {
    const now = t('2024-11-30T12:34:00Z');
    expect(iso(latestClosedBar('24x7', '5m', now))).toBe('2024-11-30T12:25:00.000Z');
    expect(iso(latestClosedBar('24x7', '1h', now))).toBe('2024-11-30T11:00:00.000Z');
    expect(iso(latestClosedBar('24x7', '1d', now))).toBe('2024-11-29T00:00:00.000Z');
  });
});

describe('alignDown', () => {
  it('floors to the timeframe in UTC', () => {
    expect(iso(alignDown(t('2024-11-27T14:37:12Z'), '15m'))).toBe('2024-11-27T14:30:00.000Z');
    expect(iso(alignDown(t('2024-11-27T14:37:12Z'), '1d'))).toBe('2024-11-27T00:00:00.000Z');
  });
});

describe('the FX calendar: 24x5, Sunday 17:00 to Friday 17:00 New York', () => {
  it('counts two whole weeks around the March 2024 DST change', () => {
    // Sunday 03-03 17:00 EST (22:00Z) .. Friday 03-08 17:00 EST, then Sunday 03-10 17:00 EDT (21:00Z) .. Friday 03-15.
    expect(countsFor('fx', '2024-03-03T00:00:00Z', '2024-03-17T00:00:00Z')).toEqual({
      '5m': 240 * 12,
      '15m': 240 * 4,
      '1h': 240,
      '1d': 10,
    });
    const hours = [...barOpens('fx', '1h', t('2024-03-03T00:00:00Z'), t('2024-03-17T00:00:00Z'))].map(iso);
    expect(hours[0]).toBe('2024-03-03T22:00:00.000Z');
    expect(hours[119]).toBe('2024-03-08T21:00:00.000Z');
    expect(hours[120]).toBe('2024-03-10T21:00:00.000Z');
    expect(hours.at(-1)).toBe('2024-03-15T20:00:00.000Z');
  });

  it('counts the November 2024 change the other way', () => {
    expect(both('fx', '1h', '2024-10-27T00:00:00Z', '2024-11-10T00:00:00Z')).toBe(240);
    expect(isBarOpen('fx', '1h', t('2024-11-01T20:00:00Z'))).toBe(true);
    expect(isBarOpen('fx', '1h', t('2024-11-01T21:00:00Z'))).toBe(false);
    expect(isBarOpen('fx', '1h', t('2024-11-03T21:00:00Z'))).toBe(false);
    expect(isBarOpen('fx', '1h', t('2024-11-03T22:00:00Z'))).toBe(true);
  });

  it('has no weekend bars, and a weekend never makes a pair stale', () => {
    expect(both('fx', '5m', '2024-03-09T00:00:00Z', '2024-03-10T21:00:00Z')).toBe(0);
    expect(isBarOpen('fx', '1d', t('2024-03-09T00:00:00Z'))).toBe(false);
    expect(isBarOpen('fx', '1d', t('2024-03-10T00:00:00Z'))).toBe(false);
    expect(iso(latestClosedBar('fx', '1h', t('2024-03-09T12:00:00Z')))).toBe('2024-03-08T21:00:00.000Z');
    expect(iso(latestClosedBar('fx', '1d', t('2024-03-09T12:00:00Z')))).toBe('2024-03-08T00:00:00.000Z');
    expect(iso(latestClosedBar('fx', '1h', t('2024-03-10T22:30:00Z')))).toBe('2024-03-10T21:00:00.000Z');
    expect(iso(barCloseMs('fx', '1d', t('2024-03-08T00:00:00Z')))).toBe('2024-03-08T22:00:00.000Z');
  });
});

describe('the extended NYSE session: 04:00 to 20:00 New York', () => {
  it('runs past midnight UTC in winter and keeps the clock grid', () => {
    const hours = (from: string, to: string) => [...barOpens('nyse-extended', '1h', t(from), t(to))].map(iso);
    const friday = hours('2024-03-08T05:00:00Z', '2024-03-09T12:00:00Z');
    expect(friday).toHaveLength(16);
    expect(friday[0]).toBe('2024-03-08T09:00:00.000Z');
    expect(friday.at(-1)).toBe('2024-03-09T00:00:00.000Z');
    const monday = hours('2024-03-11T00:00:00Z', '2024-03-12T06:00:00Z').slice(0, 16);
    expect(monday[0]).toBe('2024-03-11T08:00:00.000Z');
    expect(monday.at(-1)).toBe('2024-03-11T23:00:00.000Z');
    expect(countsFor('nyse-extended', '2024-03-04T00:00:00Z', '2024-03-16T00:00:00Z')).toEqual({
      '5m': 10 * 192,
      '15m': 10 * 64,
      '1h': 10 * 16,
      '1d': 10,
    });
  });

  it('ends four hours after an early close, and its daily bar is the regular session', () => {
    expect(both('nyse-extended', '1h', '2024-11-29T06:00:00Z', '2024-11-30T12:00:00Z')).toBe(13);
    expect(both('nyse-extended', '5m', '2024-11-29T06:00:00Z', '2024-11-30T12:00:00Z')).toBe(156);
    expect(iso(barCloseMs('nyse-extended', '1d', t('2024-11-29T00:00:00Z')))).toBe('2024-11-29T18:00:00.000Z');
    expect(isBarOpen('nyse-extended', '5m', t('2024-11-29T21:55:00Z'))).toBe(true);
    expect(isBarOpen('nyse', '5m', t('2024-11-29T21:55:00Z'))).toBe(false);
  });
});
