import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../lib/format';
import { defaultZone, formatInZone, shownZone, zoneName } from './time-zone';

describe('time zones of the chart and the candle table', () => {
  it('shows a bar in New York time across the spring change, and in UTC', () => {
    // 2024-03-10: New York springs from 02:00 EST to 03:00 EDT.
    expect(formatDateTime('2024-03-10T06:55:00Z', 'America/New_York')).toBe('Mar 10, 2024, 01:55');
    expect(formatDateTime('2024-03-10T07:00:00Z', 'America/New_York')).toBe('Mar 10, 2024, 03:00');
    expect(formatDateTime('2024-03-10T07:00:00Z', 'UTC')).toBe('Mar 10, 2024, 07:00');
    // Midnight is 00, not 24.
    expect(formatDateTime('2024-06-07T00:00:00Z', 'UTC')).toBe('Jun 07, 2024, 00:00');
    expect(formatInZone(Date.parse('2024-06-07T19:55:00Z'), 'America/New_York')).toBe('2024-06-07 15:55');
  });

  it('dates daily bars by their UTC day whatever zone is picked', () => {
    expect(shownZone('America/New_York', true)).toBe('America/New_York');
    expect(shownZone('America/New_York', false)).toBe('UTC');
    expect(zoneName('America/New_York')).toBe('New York time');
    expect(zoneName('UTC')).toBe('UTC');
  });

  it('defaults equities to New York and crypto and FX to UTC', () => {
    expect(defaultZone('equity')).toBe('America/New_York');
    expect(defaultZone('crypto')).toBe('UTC');
    expect(defaultZone('fx')).toBe('UTC');
  });
});
