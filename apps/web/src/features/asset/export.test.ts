import { describe, expect, it } from 'vitest';
import { exportLabel, exportUrl, seriesDays } from './export';

const req = {
  symbol: 'BRK.B',
  timeframe: '1d',
  start_date: '2024-01-02',
  end_date: '2024-03-28',
  adjust: 'none',
} as const;

describe('the asset export', () => {
  it('asks the export endpoint for the days chosen, as a script would', () => {
    expect(exportUrl(req, 'parquet', 'http://127.0.0.1:3000')).toBe(
      'http://127.0.0.1:3000/api/v1/candles.parquet?symbols=BRK.B&timeframe=1d&start_date=2024-01-02&end_date=2024-03-28&adjust=none',
    );
  });

  it('says what the file holds before it is asked for', () => {
    expect(exportLabel(req)).toBe('BRK.B · 1d · 2024-01-02 to 2024-03-28 · as traded');
    expect(exportLabel({ ...req, adjust: 'splits' })).toMatch(/split-adjusted$/);
  });

  it("offers the stored series' own days, and nothing for an empty one", () => {
    const coverage = {
      timeframe: '5m',
      count: 10,
      first: '2024-03-04T00:00:00.000Z',
      last: '2024-03-07T23:55:00.000Z',
    } as const;
    expect(seriesDays(coverage)).toEqual({ start: '2024-03-04', end: '2024-03-07' });
    expect(seriesDays(undefined)).toBeNull();
  });
});
