import type { BackfillJob, JobEvent, ProgressMessage } from '@candlebase/contracts';

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
}

export const EMPTY_PROGRESS: ProgressState = { job: null, log: [] };

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

/**
 * Folds the subscription into what the view shows. The first connection replays every event of
 * the job, so the log is built from events alone; a snapshot (sent again after a reconnect, which
 * resumes after the last event id) only refreshes the job, and event ids keep lines unique.
 */
export function reduceProgress(state: ProgressState, msg: ProgressMessage): ProgressState {
  if (msg.type === 'snapshot') return { ...state, job: msg.job };
  const entry = fromEvent(msg.event);
  if (!entry || state.log.some((e) => e.key === entry.key)) return { ...state, job: msg.job };
  return { job: msg.job, log: [entry, ...state.log] };
}
