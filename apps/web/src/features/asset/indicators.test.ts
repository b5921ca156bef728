import { describe, expect, it } from 'vitest';
import { computeIndicator } from './indicator-compute';
import { parsePeriod } from './indicators';

const bars = [1, 2, 3, 4, 5, 6].map((close, i) => ({ time: 1000 + i * 60, close }));

describe('chart indicators', () => {
  it('starts a simple moving average once its period is full', () => {
    const { lines } = computeIndicator({ kind: 'SMA', period: 3 }, bars);
    expect(lines[0]?.points).toEqual([
      { time: 1120, value: 2 },
      { time: 1180, value: 3 },
      { time: 1240, value: 4 },
      { time: 1300, value: 5 },
    ]);
  });

  it('gives Bollinger bands three lines around the mean', () => {
    const { lines } = computeIndicator({ kind: 'BB', period: 2 }, [
      { time: 1, close: 1 },
      { time: 2, close: 3 },
    ]);
    // Population deviation of (1, 3) is 1: the bands sit two deviations from the mean of 2.
    expect(lines.map((l) => [l.name, l.points[0]?.value])).toEqual([
      ['upper', 4],
      ['middle', 2],
      ['lower', 0],
    ]);
  });

  it('holds RSI at 100 while the closes only rise', () => {
    const { lines } = computeIndicator({ kind: 'RSI', period: 3 }, bars);
    expect(lines[0]?.points.length).toBeGreaterThan(0);
    for (const p of lines[0]?.points ?? []) expect(p.value).toBe(100);
  });

  it('accepts whole periods from 2 to 500 only', () => {
    expect(parsePeriod('20')).toBe(20);
    expect(parsePeriod('1')).toBeNull();
    expect(parsePeriod('2.5')).toBeNull();
    expect(parsePeriod('501')).toBeNull();
    expect(parsePeriod('')).toBeNull();
  });
});
