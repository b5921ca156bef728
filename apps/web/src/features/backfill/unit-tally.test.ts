import type { BackfillJob, BackfillUnit } from '@candlebase/contracts';
import { describe, expect, it } from 'vitest';
import { barsLine, etaSeconds, finishedShare, tallyUnits, unitsFromSnapshot } from './unit-tally';

const job = { symbols_total: 2 } as BackfillJob;
const unit = (symbol: string, timeframe: '1h' | '1d', status: BackfillUnit['status'], records = 0) =>
  ({ symbol, timeframe, status, records_inserted: records }) as BackfillUnit;

describe('unit tally', () => {
  it('a cancelled symbol is not done: 1 of 2 symbols completed, though every unit has ended', () => {
    const units = unitsFromSnapshot([
      unit('AAPL', '1h', 'completed', 120),
      unit('AAPL', '1d', 'completed', 20),
      unit('MSFT', '1h', 'completed', 120),
      unit('MSFT', '1d', 'cancelled'),
    ]);
    const t = tallyUnits(units, job);
    expect(t).toMatchObject({ total: 4, completed: 3, cancelled: 1, failed: 0, symbolsCompleted: 1, symbolsTotal: 2 });
    expect(finishedShare(t)).toBe(1);
  });

  it('estimates the time left from the rate so far, and gives none before a unit has finished', () => {
    const running = tallyUnits(
      unitsFromSnapshot([
        unit('AAPL', '1h', 'completed'),
        unit('AAPL', '1d', 'running'),
        unit('MSFT', '1h', 'pending'),
      ]),
      job,
    );
    expect(etaSeconds(running, 30)).toBe(60);
    const fresh = tallyUnits(unitsFromSnapshot([unit('AAPL', '1h', 'running')]), job);
    expect(etaSeconds(fresh, 30)).toBeNull();
  });

  it('counts a long unit in bars: a third of its bars passed in 30 s leaves about 60 s', () => {
    const withBars = (status: BackfillUnit['status'], expected: number, done: number) =>
      ({ ...unit('AAPL', '5m' as '1h', status), bars_expected: expected, bars_done: done }) as BackfillUnit;
    const t = tallyUnits(unitsFromSnapshot([withBars('running', 30_000, 10_000)]), job);
    expect(t).toMatchObject({ barsExpected: 30_000, barsDone: 10_000 });
    expect(barsLine(t)).toBe('10,000 of 30,000 bars (33%)');
    expect(etaSeconds(t, 30)).toBe(60);
    // The providers' quotas need longer than the rate suggests: the quota is the floor.
    expect(etaSeconds(t, 30, 300)).toBe(300);
    // Before any bar has passed, the quota's estimate is all there is.
    const idle = tallyUnits(unitsFromSnapshot([withBars('pending', 30_000, 0)]), job);
    expect(etaSeconds(idle, 5, 120)).toBe(120);
    expect(etaSeconds(idle, 5)).toBeNull();
  });

  it('says nothing of bars when the server does not count them', () => {
    const t = tallyUnits(unitsFromSnapshot([unit('AAPL', '1h', 'running')]), job);
    expect(t.barsExpected).toBeNull();
    expect(barsLine(t)).toBeNull();
  });
});
