import { describe, expect, it } from 'vitest';
import { isSelected, normalise, requestsFor } from './selection';

const months = [
  { start: '2024-01-01T00:00:00.000Z', end: '2024-02-01T00:00:00.000Z' },
  { start: '2024-02-01T00:00:00.000Z', end: '2024-03-01T00:00:00.000Z' },
  { start: '2024-03-01T00:00:00.000Z', end: '2024-03-16T00:00:00.000Z' },
];

describe('map selection to backfill requests', () => {
  it('a drag from either corner selects the same rectangle', () => {
    expect(normalise({ row: 3, col: 2 }, { row: 1, col: 0 })).toEqual({ r0: 1, r1: 3, c0: 0, c1: 2 });
    expect(isSelected([{ r0: 1, r1: 3, c0: 0, c1: 0 }], 2, 0)).toBe(true);
    expect(isSelected([{ r0: 1, r1: 3, c0: 0, c1: 0 }], 2, 1)).toBe(false);
  });

  it('merges adjacent columns into one span per symbol and groups symbols by span', () => {
    const symbols = ['AAA', 'BBB', 'CCC'];
    const reqs = requestsFor(
      [
        { r0: 0, r1: 1, c0: 0, c1: 1 },
        { r0: 1, r1: 2, c0: 2, c1: 2 },
      ],
      (r) => symbols[r],
      months,
      '1h',
    );
    expect(reqs).toEqual([
      { symbols: ['AAA'], start_date: '2024-01-01', end_date: '2024-02-29', timeframes: ['1h'] },
      { symbols: ['BBB'], start_date: '2024-01-01', end_date: '2024-03-15', timeframes: ['1h'] },
      { symbols: ['CCC'], start_date: '2024-03-01', end_date: '2024-03-15', timeframes: ['1h'] },
    ]);
  });

  it('leaves out cells with nothing to fetch, and splits more than 100 symbols into several jobs', () => {
    const reqs = requestsFor(
      [{ r0: 0, r1: 249, c0: 0, c1: 2 }],
      (r) => `S${r}`,
      months,
      '1d',
      (_row, col) => col === 2,
    );
    expect(reqs.map((r) => [r.symbols?.length, r.start_date, r.end_date])).toEqual([
      [100, '2024-01-01', '2024-02-29'],
      [100, '2024-01-01', '2024-02-29'],
      [50, '2024-01-01', '2024-02-29'],
    ]);
    expect(
      requestsFor(
        [{ r0: 0, r1: 0, c0: 0, c1: 2 }],
        () => 'X',
        months,
        '1d',
        () => true,
      ),
    ).toEqual([]);
  });
});
