import { describe, expect, it } from 'vitest';
import { type AdjustableBar, applyAdjustment, buildAdjustment } from './adjust';

const bar = (ts: number | string, close: number, volume = 1000): AdjustableBar & { ts: number | string } => ({
  ts,
  open: close,
  high: close,
  low: close,
  close,
  volume,
  vwap: close,
});
const at = (iso: string) => Date.parse(iso);

describe('read-time adjustment', () => {
  it('divides prices before each split by the later ratios and multiplies volume, newest bars untouched', () => {
    const adj = buildAdjustment(
      [
        { ex_date: '2020-08-31', kind: 'split', ratio: 4, amount: null, prev_close: null },
        { ex_date: '2023-01-03', kind: 'split', ratio: 0.1, amount: null, prev_close: null },
      ],
      'T00:00:00Z',
    );
    const bars = [
      bar(at('2020-08-28T00:00:00Z'), 400),
      bar(at('2020-08-31T00:00:00Z'), 100),
      bar(at('2023-01-02T00:00:00Z'), 10),
      bar(at('2023-01-03T00:00:00Z'), 100),
    ];
    applyAdjustment(bars, adj);
    // Before both: / (4 x 0.1); between them: / 0.1 (a reverse split raises earlier prices); after: as traded.
    expect(bars.map((b) => b.close)).toEqual([400 / 0.4, 1000, 100, 100]);
    expect(bars.map((b) => b.volume)).toEqual([400, 100, 100, 1000]);
  });

  it('puts intraday bars of the evening before in the old basis, and the ex-date session in the new', () => {
    const adj = buildAdjustment(
      [{ ex_date: '2024-01-10', kind: 'split', ratio: 2, amount: null, prev_close: null }],
      'T04:00:00Z',
    );
    // 19:55 New York on 01-09 is 00:55 UTC on 01-10 in winter: still the old shares.
    const bars = [
      bar('2024-01-10T00:55:00.000Z', 50),
      bar('2024-01-10T09:00:00.000Z', 25),
      bar('2024-01-10T14:30:00.000Z', 25),
    ];
    applyAdjustment(bars, adj);
    expect(bars.map((b) => b.close)).toEqual([25, 25, 25]);
  });

  it('applies a dividend as 1 - amount / previous close, and skips one without a usable close', () => {
    const adj = buildAdjustment(
      [
        { ex_date: '2024-05-10', kind: 'dividend', ratio: null, amount: 2, prev_close: 100 },
        { ex_date: '2024-06-10', kind: 'dividend', ratio: null, amount: 1, prev_close: null },
      ],
      'T00:00:00Z',
    );
    const bars = [bar(at('2024-05-09T00:00:00Z'), 100), bar(at('2024-05-10T00:00:00Z'), 98)];
    applyAdjustment(bars, adj);
    expect(bars.map((b) => b.close)).toEqual([98, 98]);
    expect(bars[0]?.volume).toBe(1000);
    expect(buildAdjustment([], 'T00:00:00Z')).toBeNull();
  });
});
