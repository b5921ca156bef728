import type { BackfillJob, JobEvent, ProgressMessage, UnitStatus } from '@candlebase/contracts';
import { isNews, type UnitState, unitKey, unitsFromSnapshot } from './unit-tally';

export interface LogEntry {
  /** The event id. */
  key: string;
  at: string;
  symbol: string;
  timeframe: string;
  kind: 'completed' | 'failed' | 'cancelled' | 'retrying';
  records: number;
  /** Stored bars whose values the provider had revised. */
  updated: number;
  seconds: number | null;
  error: string | null;
  /** What the provider said when it served less than asked (a completed unit's clamped range). */
  notice: string | null;
}

export interface ProgressState {
  job: BackfillJob | null;
  /** Newest first. */
  log: LogEntry[];
  /** Every unit of the job as the snapshot gave it, moved on by each event since. */
  units: ReadonlyMap<string, UnitState>;
  /** The last snapshot's quota_seconds_left and when it came (ms): events carry neither. */
  quota: { secondsLeft: number; at: number } | null;
}

export const EMPTY_PROGRESS: ProgressState = { job: null, log: [], units: new Map(), quota: null };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const EVENT_KINDS: Partial<Record<JobEvent['kind'], LogEntry['kind']>> = {
  unit_completed: 'completed',
  unit_failed: 'failed',
  unit_cancelled: 'cancelled',
  unit_retrying: 'retrying',
};

function fromEvent(e: JobEvent): LogEntry | null {
  const kind = EVENT_KINDS[e.kind];
  if (!kind || !e.symbol || !e.timeframe) return null;
  const data = e.data ?? {};
  return {
    key: e.id,
    at: e.at,
    symbol: e.symbol,
    timeframe: e.timeframe,
    kind,
    records: num(data.records_inserted) ?? 0,
    updated: num(data.records_updated) ?? 0,
    seconds: num(data.duration_seconds),
    error: str(data.error),
    notice: str(data.notice),
  };
}

const UNIT_STATUS_OF: Partial<Record<JobEvent['kind'], UnitStatus>> = {
  unit_started: 'running',
  unit_progress: 'running',
  unit_completed: 'completed',
  unit_failed: 'failed',
  unit_cancelled: 'cancelled',
};

/** Moves the units on by one event: a unit's own, or a job-wide one (cancel, retry). */
function applyToUnits(units: ReadonlyMap<string, UnitState>, e: JobEvent): ReadonlyMap<string, UnitState> {
  const status = UNIT_STATUS_OF[e.kind];
  const at = Date.parse(e.at);
  if (status && e.symbol && e.timeframe) {
    const data = e.data ?? {};
    const key = unitKey(e.symbol, e.timeframe);
    const before = units.get(key);
    if (!isNews(before, status, at)) return units;
    const records = num(data.unit_records_inserted) ?? num(data.records_inserted) ?? before?.records ?? 0;
    const barsExpected = before?.barsExpected ?? null;
    // A completed unit has passed every bar of its range; a page says how far it has got.
    const barsDone =
      status === 'completed' && barsExpected !== null
        ? barsExpected
        : (num(data.unit_bars_done) ?? before?.barsDone ?? 0);
    return new Map(units).set(key, { symbol: e.symbol, status, records, since: at, barsExpected, barsDone });
  }
  // A cancel ends the pending units at once, without an event each; a retry queues the failed and cancelled again.
  const from: UnitStatus[] | null =
    e.kind === 'cancel_requested' ? ['pending'] : e.kind === 'job_retried' ? ['failed', 'cancelled'] : null;
  if (!from) return units;
  const to: UnitStatus = e.kind === 'cancel_requested' ? 'cancelled' : 'pending';
  const next = new Map(units);
  for (const [key, u] of next) {
    if (from.includes(u.status) && isNews(u, to, at)) next.set(key, { ...u, status: to, since: at });
  }
  return next;
}

/**
 * Folds the subscription into what the view shows. The first connection replays every event of
 * the job, so the log is built from events alone; a snapshot (sent again after a reconnect, which
 * resumes after the last event id) refreshes the job and its units, and event ids keep lines unique.
 */
export function reduceProgress(state: ProgressState, msg: ProgressMessage, receivedAt: number): ProgressState {
  if (msg.type === 'snapshot') {
    const left = msg.job.quota_seconds_left;
    const quota = left == null ? null : { secondsLeft: left, at: receivedAt };
    return { ...state, job: msg.job, units: unitsFromSnapshot(msg.units), quota };
  }
  const units = applyToUnits(state.units, msg.event);
  const entry = fromEvent(msg.event);
  if (!entry || state.log.some((e) => e.key === entry.key)) return { ...state, job: msg.job, units };
  return { ...state, job: msg.job, log: [entry, ...state.log], units };
}
