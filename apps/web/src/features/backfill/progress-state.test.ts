import type { BackfillJob, BackfillUnit, JobEvent, ProgressMessage } from '@candlebase/contracts';
import { describe, expect, it } from 'vitest';
import { EMPTY_PROGRESS, reduceProgress } from './progress-state';
import { tallyUnits } from './unit-tally';

const job = { job_id: 'j', status: 'completed', symbols_total: 1 } as BackfillJob;
const t = (s: number) => new Date(Date.parse('2026-03-18T15:00:00Z') + s * 1000).toISOString();
let id = 0;
const event = (kind: JobEvent['kind'], at: number, data: Record<string, unknown> = {}): ProgressMessage => ({
  type: 'event',
  job,
  event: { id: String(++id), job_id: 'j', at: t(at), kind, symbol: 'AAPL', timeframe: '1h', message: '', data },
});
const snapshot = (
  status: BackfillUnit['status'],
  started: number | null,
  completed: number | null,
): ProgressMessage => ({
  type: 'snapshot',
  job,
  units: [
    {
      symbol: 'AAPL',
      timeframe: '1h',
      status,
      records_inserted: 120,
      started_at: started === null ? null : t(started),
      completed_at: completed === null ? null : t(completed),
    } as BackfillUnit,
  ],
});
const fold = (msgs: ProgressMessage[]) => msgs.reduce((state, msg) => reduceProgress(state, msg, 0), EMPTY_PROGRESS);

describe('units through a replayed history', () => {
  it('an old "started" replayed after the snapshot does not undo its "completed"', () => {
    const state = fold([snapshot('completed', 1, 5), event('unit_started', 1)]);
    expect(tallyUnits(state.units, job)).toMatchObject({ completed: 1, running: 0 });
  });

  it('a cancel, then a retry and a new run, end where the unit is now', () => {
    const state = fold([
      snapshot('completed', 10, 20),
      event('unit_started', 1),
      event('cancel_requested', 2),
      event('unit_cancelled', 3),
      event('job_retried', 8),
      event('unit_started', 10),
      event('unit_completed', 20, { records_inserted: 120 }),
    ]);
    expect(tallyUnits(state.units, job)).toMatchObject({ completed: 1, cancelled: 0, pending: 0 });
    expect(state.log.map((e) => e.kind)).toEqual(['completed', 'cancelled']);
  });

  it('live events after the snapshot move the unit on, and a cancel ends the pending ones', () => {
    const running = fold([snapshot('pending', null, null), event('unit_started', 30)]);
    expect(tallyUnits(running.units, job).running).toBe(1);
    const cancelled = fold([snapshot('pending', null, null), event('cancel_requested', 30)]);
    expect(tallyUnits(cancelled.units, job).cancelled).toBe(1);
  });
});

describe('bars through the events', () => {
  const withBars = (status: BackfillUnit['status']): ProgressMessage => ({
    type: 'snapshot',
    job: { ...job, quota_seconds_left: 90 },
    units: [
      {
        symbol: 'AAPL',
        timeframe: '1h',
        status,
        records_inserted: 0,
        bars_expected: 1000,
        bars_done: 0,
      } as BackfillUnit,
    ],
  });

  it('a page moves the unit to the bars it has passed; completing passes them all', () => {
    const paged = fold([withBars('running'), event('unit_progress', 5, { unit_bars_done: 400 })]);
    expect(tallyUnits(paged.units, job)).toMatchObject({ barsExpected: 1000, barsDone: 400 });
    const done = fold([
      withBars('running'),
      event('unit_progress', 5, { unit_bars_done: 400 }),
      event('unit_completed', 9),
    ]);
    expect(tallyUnits(done.units, job)).toMatchObject({ barsExpected: 1000, barsDone: 1000 });
  });

  it("keeps the snapshot's quota estimate when events replace the job", () => {
    const state = fold([withBars('running'), event('unit_progress', 5, { unit_bars_done: 400 })]);
    expect(state.quota).toEqual({ secondsLeft: 90, at: 0 });
    expect(state.job?.quota_seconds_left).toBeUndefined();
  });
});
