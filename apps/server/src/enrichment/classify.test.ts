import { missingRanges } from '@candlebase/calendar';
import { describe, expect, it } from 'vitest';
import { classifyMissing, quietSpans } from './classify';

const H = 3_600_000;
const T0 = Date.parse('2024-03-04T00:00:00Z');
const at = (h: number) => T0 + h * H;

describe('quiet spans: completed units that came back with fewer bars than the calendar expects', () => {
  it('a unit that got every bar vouches for nothing; one that got fewer marks its range', () => {
    const full = { rangeStart: at(0), rangeEnd: at(24), recordsFetched: 24, completedAt: at(48) };
    const holey = { rangeStart: at(24), rangeEnd: at(48), recordsFetched: 20, completedAt: at(72) };
    expect(quietSpans('24x7', '1h', [full])).toEqual([]);
    expect(quietSpans('24x7', '1h', [full, holey])).toEqual([{ from: at(24), to: at(48) }]);
  });

  it('counts only bars closed when the unit finished, and merges overlapping spans', () => {
    // Finished at 10:30 on a range to midnight: 10 bars had closed, 10 came back -> complete.
    const early = { rangeStart: at(0), rangeEnd: at(24), recordsFetched: 10, completedAt: at(10.5) };
    expect(quietSpans('24x7', '1h', [early])).toEqual([]);
    const a = { rangeStart: at(0), rangeEnd: at(10), recordsFetched: 0, completedAt: at(50) };
    const b = { rangeStart: at(5), rangeEnd: at(20), recordsFetched: 1, completedAt: at(50) };
    expect(quietSpans('24x7', '1h', [b, a])).toEqual([{ from: at(0), to: at(20) }]);
  });
});

describe('classifyMissing', () => {
  it('splits a missing run where it enters and leaves a quiet span, snapping to whole bars', () => {
    const present = [0, 1, 2, 9, 10].map(at);
    const missing = missingRanges('24x7', '1h', at(0), at(11), present);
    expect(missing).toEqual([{ from: at(3), to: at(9), bars: 6 }]);
    const out = classifyMissing('24x7', '1h', missing, [{ from: at(4.5), to: at(7) }]);
    expect(out).toEqual([
      { from: at(3), to: at(5), bars: 2, kind: 'gap' },
      { from: at(5), to: at(7), bars: 2, kind: 'quiet' },
      { from: at(7), to: at(9), bars: 2, kind: 'gap' },
    ]);
  });

  it('over an equity weekend, the run keeps only session bars and the quiet part is the asked one', () => {
    // Friday 2024-03-08 (EST: hourly bars 14:30..20:30 UTC) to Monday 2024-03-11 (EDT: 13:30..19:30 UTC).
    const fri = Date.parse('2024-03-08T00:00:00Z');
    const mon = Date.parse('2024-03-11T00:00:00Z');
    const missing = missingRanges('nyse', '1h', fri, mon + 86_400_000, []);
    expect(missing.reduce((n, r) => n + r.bars, 0)).toBe(14);
    const out = classifyMissing('nyse', '1h', missing, [{ from: mon, to: mon + 86_400_000 }]);
    expect(out.map((r) => [r.kind, r.bars])).toEqual([
      ['gap', 7],
      ['quiet', 7],
    ]);
    // Monday is after the switch to daylight time: the session and its first bar open 13:30 UTC.
    expect(new Date(out[1]?.from ?? 0).toISOString()).toBe('2024-03-11T13:30:00.000Z');
    expect(new Date(out[0]?.to ?? 0).toISOString()).toBe('2024-03-08T21:30:00.000Z');
  });
});
