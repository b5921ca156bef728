import { describe, expect, it } from 'vitest';
import { sampleBars } from '../testing/sample-bars';
import { closedBars, finalAt } from './closed-bars';

const MIN = 60_000;
const at = (s: string) => Date.parse(s);

describe('when a bar is final', () => {
  it('an NYSE daily bar at the session close plus the settle time; an early close counts', () => {
    const policy = { calendar: 'nyse' as const, timeframe: '1d' as const, settleMs: 15 * MIN };
    // Wednesday 2024-03-13, after the DST change: the close is 20:00 UTC.
    expect(finalAt(policy, at('2024-03-13T00:00:00Z'))).toBe(at('2024-03-13T20:15:00Z'));
    // Black Friday 2024-11-29 closes at 13:00 New York (18:00 UTC).
    expect(finalAt(policy, at('2024-11-29T00:00:00Z'))).toBe(at('2024-11-29T18:15:00Z'));
  });

  it('a crypto daily bar at midnight UTC; an intraday bar at its interval end, or the close when earlier', () => {
    expect(finalAt({ calendar: '24x7', timeframe: '1d', settleMs: 0 }, at('2024-03-13T00:00:00Z'))).toBe(
      at('2024-03-14T00:00:00Z'),
    );
    const hour = { calendar: 'nyse' as const, timeframe: '1h' as const, settleMs: 0 };
    // The early close cuts the 17:00 UTC bar of 2024-11-29 short at 18:00; a full one ends on the hour.
    expect(finalAt(hour, at('2024-11-29T17:00:00Z'))).toBe(at('2024-11-29T18:00:00Z'));
    expect(finalAt(hour, at('2024-03-13T15:00:00Z'))).toBe(at('2024-03-13T16:00:00Z'));
    // Outside the session (pre-market), the interval's end.
    expect(finalAt({ ...hour, settleMs: 5 * MIN }, at('2024-03-13T09:00:00Z'))).toBe(at('2024-03-13T10:05:00Z'));
  });

  it('keeps a page of history whole and drops the bars still forming or settling', () => {
    const page = sampleBars(0, 12); // 5m bars from 2024-01-01 00:00 UTC to 00:55
    const policy = { calendar: '24x7' as const, timeframe: '5m' as const, settleMs: 15 * MIN };
    expect(closedBars(page, policy, at('2024-01-01T02:00:00Z'))).toBe(page);
    // At 01:07 the bars through 00:45 (final at 01:05) are kept; 00:50 and 00:55 are not.
    expect(closedBars(page, policy, at('2024-01-01T01:07:00Z')).map((c) => c.ts)).toEqual(
      page.slice(0, 10).map((c) => c.ts),
    );
    expect(closedBars(page, policy, at('2024-01-01T00:10:00Z'))).toEqual([]);
  });
});
