import type { BackfillJob, JobEvent } from '@candlebase/contracts';
import { describe, expect, it } from 'vitest';
import { EMPTY_PROGRESS, reduceProgress } from './progress-state';

const JOB: BackfillJob = {
  job_id: '00000000-0000-4000-8000-000000000001',
  status: 'running',
  symbols: ['AAPL'],
  start_date: '2024-01-02',
  end_date: '2024-01-31',
  timeframes: ['1d'],
  provider: 'synthetic',
  progress_pct: 50,
  symbols_completed: 0,
  symbols_total: 1,
  total_records_inserted: 0,
  total_records_updated: 0,
  current_symbol: 'AAPL',
  error: null,
  created_at: '2024-02-01T10:00:00.000Z',
  started_at: '2024-02-01T10:00:01.000Z',
  completed_at: null,
  cancel_requested_at: null,
};

function event(id: string, kind: JobEvent['kind'], data: Record<string, unknown> | null = null): JobEvent {
  return {
    id,
    job_id: JOB.job_id,
    at: '2024-02-01T10:00:02.000Z',
    kind,
    symbol: 'AAPL',
    timeframe: '1d',
    message: 'AAPL 1d',
    data,
  };
}

describe('reduceProgress', () => {
  it('a snapshot sets the job and leaves the log alone', () => {
    const state = reduceProgress(EMPTY_PROGRESS, { type: 'snapshot', job: JOB, units: [] }, 0);
    expect(state).toMatchObject({ job: JOB, log: [] });
  });

  it('a finished unit becomes a log line, newest first, with its numbers', () => {
    let state = reduceProgress(EMPTY_PROGRESS, { type: 'event', event: event('1', 'unit_started'), job: JOB }, 0);
    expect(state.log).toEqual([]);
    state = reduceProgress(
      state,
      {
        type: 'event',
        event: event('2', 'unit_completed', { records_inserted: 21, records_updated: 2, duration_seconds: 1.5 }),
        job: JOB,
      },
      0,
    );
    state = reduceProgress(
      state,
      {
        type: 'event',
        event: event('3', 'unit_retrying', { error: 'provider busy', notice: 7 }),
        job: { ...JOB, status: 'completed' },
      },
      0,
    );
    expect(state.job?.status).toBe('completed');
    expect(state.log.map((l) => [l.key, l.kind])).toEqual([
      ['3', 'retrying'],
      ['2', 'completed'],
    ]);
    expect(state.log[1]).toMatchObject({ records: 21, updated: 2, seconds: 1.5, error: null, notice: null });
    // Values of the wrong type are dropped, not shown.
    expect(state.log[0]).toMatchObject({ records: 0, seconds: null, error: 'provider busy', notice: null });
  });

  it('an event seen again after a reconnect adds no second line', () => {
    const msg = { type: 'event', event: event('9', 'unit_failed', { error: 'Unknown symbol' }), job: JOB } as const;
    const once = reduceProgress(EMPTY_PROGRESS, msg, 0);
    const twice = reduceProgress(once, msg, 0);
    expect(twice.log).toHaveLength(1);
    expect(twice.log[0]?.error).toBe('Unknown symbol');
  });

  it('job-level events (no symbol) only refresh the job', () => {
    const jobEvent = { ...event('4', 'unit_completed'), symbol: null, timeframe: null };
    const state = reduceProgress(EMPTY_PROGRESS, { type: 'event', event: jobEvent, job: JOB }, 0);
    expect(state).toMatchObject({ job: JOB, log: [] });
  });
});
