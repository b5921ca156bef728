import { describe, expect, it } from 'vitest';
import { createSyntheticProvider } from './synthetic';
import type { ProviderCandle } from './types';

const NOW = () => Date.UTC(2024, 6, 1);

async function daily(symbol: string, from: string, to: string): Promise<ProviderCandle[]> {
  const out: ProviderCandle[] = [];
  const p = createSyntheticProvider({ now: NOW });
  for await (const page of p.fetchCandles({ symbol, timeframe: '1d', from: new Date(from), to: new Date(to) })) {
    out.push(...page);
  }
  return out;
}

describe('the synthetic demo split', () => {
  it("publishes NVIDIA's 10:1 of 2024-06-10 and serves the bars before it at the old scale", async () => {
    const p = createSyntheticProvider({ now: NOW });
    const range = { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-12-31T00:00:00Z') };
    expect(await p.fetchActions?.({ symbol: 'nvda', ...range })).toEqual([
      { exDate: '2024-06-10', kind: 'split', ratio: 10 },
    ]);
    expect(
      await p.fetchActions?.({ symbol: 'NVDA', from: new Date('2025-01-01'), to: new Date('2025-12-31') }),
    ).toEqual([]);
    expect(await p.fetchActions?.({ symbol: 'AAPL', ...range })).toEqual([]);

    const bars = await daily('NVDA', '2024-06-06T00:00:00Z', '2024-06-12T00:00:00Z');
    const close = (d: string) => bars.find((b) => new Date(b.ts).toISOString().startsWith(d))?.close ?? Number.NaN;
    const step = close('2024-06-07') / close('2024-06-10');
    expect(step).toBeGreaterThan(7);
    expect(step).toBeLessThan(14);
    // After the split the day-to-day move is an ordinary one.
    expect(Math.abs(close('2024-06-11') / close('2024-06-10') - 1)).toBeLessThan(0.2);
  });
});
