import { describe, expect, it } from 'vitest';
import { quotaWaitText } from './quota-wait';

const NOW = Date.parse('2024-02-01T10:00:12.000Z');

describe('the quota wait line', () => {
  it('says whose quota, how long the job has waited and about how long it still waits', () => {
    const wait = { provider: 'polygon', since: '2024-02-01T10:00:00.000Z', until: '2024-02-01T10:00:51.600Z' };
    expect(quotaWaitText(wait, NOW)).toBe("Waiting for Polygon's quota for 12 s, about 40 s more");
  });

  it('never says a wait in progress has 0 s left, and keeps compound provider names', () => {
    const wait = { provider: 'ccxt:kraken', since: '2024-02-01T10:00:11.000Z', until: '2024-02-01T10:00:11.500Z' };
    expect(quotaWaitText(wait, NOW)).toBe("Waiting for ccxt:kraken's quota for 1 s, about 1 s more");
  });
});
