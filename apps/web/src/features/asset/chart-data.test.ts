import type { Candle } from '@candlebase/contracts';
import { describe, expect, it } from 'vitest';
import { actionLabel, toBars, visibleTimes } from './chart-data';
import { defaultZone, formatInZone } from './time-zone';

const candle = (ts: string, close: number): Candle => ({
  ts,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
  vwap: null,
  trades: null,
  source: 'synthetic',
});

describe('chart data', () => {
  it('turns newest-first pages into oldest-first bars, one per time', () => {
    const bars = toBars([
      candle('2024-06-07T19:55:00.000Z', 3),
      candle('2024-06-07T19:50:00.000Z', 2),
      candle('2024-06-07T19:50:00.000Z', 2),
    ]);
    expect(bars.map((b) => [b.time, b.close])).toEqual([
      [Date.parse('2024-06-07T19:50:00Z') / 1000, 2],
      [Date.parse('2024-06-07T19:55:00Z') / 1000, 3],
    ]);
  });

  it('names splits by their ratio and dividends by their amount', () => {
    const base = { ex_date: '2024-06-10', source: 'synthetic' };
    expect(actionLabel({ ...base, kind: 'split', ratio: 10, amount: null })).toBe('Split 10:1');
    expect(actionLabel({ ...base, kind: 'split', ratio: 0.25, amount: null })).toBe('Split 1:4');
    expect(actionLabel({ ...base, kind: 'dividend', ratio: null, amount: 0.24 })).toBe('Dividend 0.24');
  });
});

describe('chart time zones', () => {
  it('shows one instant in New York (summer: UTC-4, winter: UTC-5) or UTC', () => {
    const summer = Date.parse('2024-06-07T19:55:00Z');
    expect(formatInZone(summer, 'America/New_York')).toBe('2024-06-07 15:55');
    expect(formatInZone(summer, 'UTC')).toBe('2024-06-07 19:55');
    expect(formatInZone(Date.parse('2024-01-02T14:30:00Z'), 'America/New_York')).toBe('2024-01-02 09:30');
    expect(formatInZone(Date.parse('2024-06-08T02:00:00Z'), 'America/New_York', false)).toBe('2024-06-07');
  });

  it('defaults equities to New York and crypto and FX to UTC', () => {
    expect(defaultZone('equity')).toBe('America/New_York');
    expect(defaultZone('etf')).toBe('America/New_York');
    expect(defaultZone('crypto')).toBe('UTC');
    expect(defaultZone('fx')).toBe('UTC');
  });

  it('names the first and last bar inside a logical range, clamped to the bars held', () => {
    const times = [100, 200, 300, 400];
    expect(visibleTimes(times, { from: 0.4, to: 2.6 })).toEqual({ from: 200_000, to: 300_000 });
    // The first view reaches past the newest bar (a right margin) and before the oldest.
    expect(visibleTimes(times, { from: -156, to: 6 })).toEqual({ from: 100_000, to: 400_000 });
    expect(visibleTimes([], { from: 0, to: 5 })).toBeNull();
  });
});
