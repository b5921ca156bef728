import { describe, expect, it } from 'vitest';
import { statusOf } from './symbols';

const coverage = (timeframe: '5m' | '1h' | '1d', last: string) => [
  { timeframe, first: '2024-01-02T14:30:00Z', last, count: 100 },
];

describe('statusOf: freshness follows the market calendar', () => {
  // Friday 2024-03-08: the last 5m bar of the session opens 15:55 New York time (20:55 UTC).
  const friday5m = coverage('5m', '2024-03-08T20:55:00.000Z');
  const friday1d = coverage('1d', '2024-03-08T00:00:00.000Z');

  it('a weekend does not make an equity stale', () => {
    for (const now of ['2024-03-09T12:00:00Z', '2024-03-10T23:00:00Z', '2024-03-11T13:00:00Z']) {
      expect(statusOf('equity', friday5m, Date.parse(now))).toBe('fresh');
      expect(statusOf('equity', friday1d, Date.parse(now))).toBe('fresh');
    }
  });

  it('a missing Friday afternoon, or Monday once it trades, does', () => {
    expect(statusOf('equity', coverage('5m', '2024-03-08T18:00:00.000Z'), Date.parse('2024-03-09T12:00:00Z'))).toBe(
      'stale',
    );
    // Monday 11:00 New York time: 90 minutes of bars exist, beyond the 30-minute grace.
    expect(statusOf('equity', friday5m, Date.parse('2024-03-11T15:00:00Z'))).toBe('stale');
    // Monday's daily bar is final at the close.
    expect(statusOf('equity', friday1d, Date.parse('2024-03-11T21:00:00Z'))).toBe('stale');
  });

  it('crypto has no weekend', () => {
    expect(statusOf('crypto', coverage('1h', '2024-03-08T20:00:00.000Z'), Date.parse('2024-03-09T12:00:00Z'))).toBe(
      'stale',
    );
    expect(statusOf('crypto', coverage('1h', '2024-03-09T11:00:00.000Z'), Date.parse('2024-03-09T12:00:00Z'))).toBe(
      'fresh',
    );
  });

  it('a holiday is no session either: Good Friday 2024-03-29', () => {
    const thursday = coverage('1d', '2024-03-28T00:00:00.000Z');
    expect(statusOf('equity', thursday, Date.parse('2024-03-30T12:00:00Z'))).toBe('fresh');
    expect(statusOf('equity', thursday, Date.parse('2024-04-01T21:00:00Z'))).toBe('stale');
  });
});
