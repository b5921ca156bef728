import { describe, expect, it } from 'vitest';
import { formatAge, formatAgo, formatDateRange } from './format';

const NOW = Date.parse('2024-03-13T15:10:00Z');
const before = (ms: number) => new Date(NOW - ms).toISOString();

describe('ages', () => {
  it('reads as a phrase: "just now" carries no "ago"', () => {
    expect(formatAgo(before(20_000), NOW)).toBe('just now');
    expect(formatAgo(before(5 * 60_000), NOW)).toBe('5 min ago');
    expect(formatAgo(before(3 * 86_400_000), NOW)).toBe('3 days ago');
    expect(formatAgo(null, NOW)).toBe('—');
  });

  it('a time in the future (clock skew) is "just now", never a negative age', () => {
    expect(formatAge(before(-60_000), NOW)).toBe('just now');
  });
});

describe('date ranges', () => {
  it('never drop the year: a two-year job shows both years', () => {
    expect(formatDateRange('2024-12-01', '2026-12-01')).toBe('2024-12-01 → 2026-12-01');
    expect(formatDateRange('2024-01-02', '2024-01-31')).toBe('2024-01-02 → 01-31');
    expect(formatDateRange('2024-03-04', '2024-03-04')).toBe('2024-03-04');
  });
});
