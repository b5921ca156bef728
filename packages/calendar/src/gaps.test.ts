import { describe, expect, it } from 'vitest';
import { barOpens } from './bars';
import { missingRanges } from './gaps';

const t = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();
const readable = (ranges: { from: number; to: number; bars: number }[]) =>
  ranges.map((r) => `${iso(r.from)}..${iso(r.to)} ${r.bars}`);

describe('missingRanges', () => {
  const from = t('2024-11-25T00:00:00Z');
  const to = t('2024-11-30T00:00:00Z');
  const all = [...barOpens('nyse', '1h', from, to)];

  it('finds nothing missing in a complete series', () => {
    expect(missingRanges('nyse', '1h', from, to, all)).toEqual([]);
  });

  it('reports the whole range when nothing is stored', () => {
    expect(readable(missingRanges('nyse', '1h', from, to, []))).toEqual([
      '2024-11-25T14:30:00.000Z..2024-11-29T18:30:00.000Z 25',
    ]);
  });

  it('merges holes into runs, across nights and holidays', () => {
    const hole = new Set([
      '2024-11-25T16:30:00.000Z',
      '2024-11-25T17:30:00.000Z',
      // Wednesday's last bar through Friday's first: one run over the night and Thanksgiving.
      '2024-11-27T20:30:00.000Z',
      '2024-11-29T14:30:00.000Z',
      '2024-11-29T17:30:00.000Z',
    ]);
    const present = all.filter((ts) => !hole.has(iso(ts)));
    expect(readable(missingRanges('nyse', '1h', from, to, present))).toEqual([
      '2024-11-25T16:30:00.000Z..2024-11-25T18:30:00.000Z 2',
      '2024-11-27T20:30:00.000Z..2024-11-29T15:30:00.000Z 2',
      '2024-11-29T17:30:00.000Z..2024-11-29T18:30:00.000Z 1',
    ]);
  });

  it('finds missing heads and tails and ignores bars the calendar does not expect', () => {
    const present = [
      t('2024-11-26T12:00:00Z'), // pre-market: fills no slot
      ...all.filter((ts) => ts >= t('2024-11-26T00:00:00Z') && ts < t('2024-11-27T00:00:00Z')),
      t('2024-11-28T15:00:00Z'), // Thanksgiving: not expected
    ];
    expect(readable(missingRanges('nyse', '1h', from, to, present))).toEqual([
      '2024-11-25T14:30:00.000Z..2024-11-25T21:30:00.000Z 7',
      '2024-11-27T14:30:00.000Z..2024-11-29T18:30:00.000Z 11',
    ]);
  });

  it('tolerates duplicates and refuses an unsorted series', () => {
    const [a, b] = all;
    if (a === undefined || b === undefined) throw new Error('fixture');
    expect(missingRanges('nyse', '1h', a, b + 1, [a, a, b])).toEqual([]);
    expect(() => missingRanges('nyse', '1h', from, to, [b, a])).toThrow(/ascending/);
  });

  it('handles 24x7 series and years of 5m bars quickly', () => {
    const start = t('2015-01-01T00:00:00Z');
    const end = t('2025-01-01T00:00:00Z');
    const present = [t('2020-01-01T00:00:00Z'), t('2020-01-01T00:05:00Z')];
    const started = performance.now();
    const ranges = missingRanges('24x7', '5m', start, end, present);
    expect(performance.now() - started).toBeLessThan(200);
    expect(ranges).toHaveLength(2);
    expect(ranges[0]?.to).toBe(t('2020-01-01T00:00:00Z'));
    expect(ranges[1]?.from).toBe(t('2020-01-01T00:10:00Z'));
    const days = (end - start) / 86_400_000;
    expect((ranges[0]?.bars ?? 0) + (ranges[1]?.bars ?? 0)).toBe(days * 288 - 2);
  });
});
