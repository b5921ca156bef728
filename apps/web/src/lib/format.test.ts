import { describe, expect, it } from 'vitest';
import { formatAge, formatAgo, formatDateRange, formatDuration, formatInt, formatPrice, formatUtc } from './format';

// A fixed instant: nothing here reads the clock.
const NOW = Date.UTC(2024, 2, 10, 12, 0, 0);
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('formatting', () => {
  it('ages are coarse and never negative', () => {
    expect(formatAge(null, NOW)).toBe('—');
    expect(formatAge(ago(59_000), NOW)).toBe('just now');
    expect(formatAge(ago(5 * 60_000), NOW)).toBe('5 min');
    expect(formatAge(ago(3 * 3_600_000 + 59 * 60_000), NOW)).toBe('3 h');
    expect(formatAge(ago(26 * 3_600_000), NOW)).toBe('1 day');
    expect(formatAge(ago(50 * 3_600_000), NOW)).toBe('2 days');
    expect(formatAge(new Date(NOW + 60_000).toISOString(), NOW)).toBe('just now');
    expect(formatAgo(ago(5 * 60_000), NOW)).toBe('5 min ago');
    expect(formatAgo(ago(1000), NOW)).toBe('just now');
  });

  it('UTC timestamps read the same in every zone', () => {
    expect(formatUtc('2026-03-04T14:30:00Z')).toBe('Mar 04, 2026, 14:30 UTC');
    // Just after midnight is 00:05 of its own day, not "24:05" (en-US with hour12: false).
    expect(formatUtc('2026-03-05T00:05:00Z')).toBe('Mar 05, 2026, 00:05 UTC');
    expect(formatUtc(null)).toBe('—');
  });

  it('date ranges drop the repeated year only', () => {
    expect(formatDateRange('2024-01-02', '2024-01-02')).toBe('2024-01-02');
    expect(formatDateRange('2024-01-02', '2024-01-31')).toBe('2024-01-02 → 01-31');
    expect(formatDateRange('2024-12-01', '2026-12-01')).toBe('2024-12-01 → 2026-12-01');
  });

  it('durations, prices and counts', () => {
    expect(formatDuration(0.42)).toBe('0.4 s');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 m 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 m');
    expect(formatPrice(1234.5)).toBe('1,234.50');
    expect(formatPrice(0.05)).toBe('0.0500');
    expect(formatPrice(0.000123)).toBe('0.000123');
    expect(formatInt(9999)).toBe('9,999');
    // One form in every column: separators, never '17.4K' beside '3,162'.
    expect(formatInt(1_363_292)).toBe('1,363,292');
  });
});
