import type {
  BackfillJob,
  BackfillUnit,
  JobEvent,
  JobEventKind,
  JobStatus,
  Timeframe,
  UnitStatus,
} from '@candlebase/contracts';

/** A timestamp as a raw row hands it over: text from postgres-js (through drizzle) or inside JSON, a Date from PGlite. */
export type PgTimestamp = string | Date;
/** A bigint or numeric as a raw row hands it over: text or a number, whichever the driver chose. */
export type PgNumber = number | string | bigint;
/** A boolean as a raw row hands it over: a boolean, or Postgres' text form ('t' / 'f'). */
export type PgBoolean = boolean | 't' | 'f';

/** The one decoder of a timestamp, for both drivers: epoch ms. */
export function toMs(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  // Postgres text form: "2024-01-02 15:00:00.123+00" (offset without minutes).
  const text = String(v)
    .replace(' ', 'T')
    .replace(/([+-]\d\d)$/, '$1:00');
  return Date.parse(text);
}

export function bool(v: unknown): boolean {
  return v === true || v === 't';
}

/**
 * Postgres' text form in UTC ("2024-01-02 15:00:00.123456+00") rearranged into `toISOString()`
 * form without parsing: list queries return tens of thousands of timestamps and Date.parse was
 * their biggest cost. Null for anything else (another offset, a Date, a year past 9999).
 */
function isoFromUtcText(v: unknown): string | null {
  if (typeof v !== 'string' || v.length < 22 || v.charCodeAt(10) !== 32 || !v.endsWith('+00')) return null;
  if (v.length === 22) return `${v.slice(0, 10)}T${v.slice(11, 19)}.000Z`;
  if (v.charCodeAt(19) !== 46) return null;
  const fraction = v.slice(20, v.length - 3);
  const ms = fraction.length >= 3 ? fraction.slice(0, 3) : fraction.padEnd(3, '0');
  return `${v.slice(0, 10)}T${v.slice(11, 19)}.${ms}Z`;
}

/** A timestamp in `toISOString()` form, null for null (or one that does not parse). */
export function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const fast = isoFromUtcText(v);
  if (fast !== null) return fast;
  const ms = toMs(v);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function isoRequired(v: unknown): string {
  return iso(v) ?? new Date(0).toISOString();
}

export function dateOnly(v: unknown): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}

/** Arrays come back as JS arrays from both drivers; guard against the text form anyway. */
function textArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  const s = String(v ?? '');
  return s
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean);
}

/** A `backfill_jobs` row as the raw reads select it (`JOB_COLUMNS`). */
export interface JobRow {
  id: string;
  symbols: string[] | string;
  start_date: string | Date;
  end_date: string | Date;
  timeframes: string[] | string;
  provider: string;
  status: string;
  progress_pct: PgNumber;
  symbols_completed: PgNumber;
  symbols_total: PgNumber;
  total_records_inserted: PgNumber;
  total_records_updated: PgNumber | null;
  current_symbol: string | null;
  error: string | null;
  created_at: PgTimestamp;
  started_at: PgTimestamp | null;
  completed_at: PgTimestamp | null;
  cancel_requested_at: PgTimestamp | null;
}

const JOB_COLUMN_NAMES = [
  'id',
  'symbols',
  'start_date',
  'end_date',
  'timeframes',
  'provider',
  'status',
  'progress_pct',
  'symbols_completed',
  'symbols_total',
  'total_records_inserted',
  'total_records_updated',
  'current_symbol',
  'error',
  'created_at',
  'started_at',
  'completed_at',
  'cancel_requested_at',
] as const satisfies readonly (keyof JobRow)[];

/** The select list of a `JobRow`, each column qualified by `table` when given (`j.id, j.symbols, …`). */
export function jobColumns(table?: string): string {
  return JOB_COLUMN_NAMES.map((c) => (table ? `${table}.${c}` : c)).join(', ');
}

export const JOB_COLUMNS = jobColumns();

/** A raw row no decoder here describes yet. */
export type Row = Record<string, unknown>;

export function toJob(r: JobRow): BackfillJob {
  return {
    job_id: String(r.id),
    status: String(r.status) as JobStatus,
    symbols: textArray(r.symbols),
    start_date: dateOnly(r.start_date),
    end_date: dateOnly(r.end_date),
    timeframes: textArray(r.timeframes) as Timeframe[],
    provider: String(r.provider),
    progress_pct: Math.round(Number(r.progress_pct) * 100) / 100,
    symbols_completed: Number(r.symbols_completed),
    symbols_total: Number(r.symbols_total),
    total_records_inserted: Number(r.total_records_inserted),
    total_records_updated: Number(r.total_records_updated ?? 0),
    current_symbol: r.current_symbol == null ? null : String(r.current_symbol),
    error: r.error == null ? null : String(r.error),
    created_at: isoRequired(r.created_at),
    started_at: iso(r.started_at),
    completed_at: iso(r.completed_at),
    cancel_requested_at: iso(r.cancel_requested_at),
  };
}

/** A `backfill_job_progress` row as `UNIT_COLUMNS` selects it. */
export interface UnitRow {
  symbol: string;
  timeframe: string;
  status: string;
  records_fetched: PgNumber;
  records_inserted: PgNumber;
  records_updated: PgNumber | null;
  duration_seconds: PgNumber | null;
  error_message: string | null;
  attempts: PgNumber;
  started_at: PgTimestamp | null;
  completed_at: PgTimestamp | null;
  provider: string | null;
}

export const UNIT_COLUMNS = (
  [
    'symbol',
    'timeframe',
    'status',
    'records_fetched',
    'records_inserted',
    'records_updated',
    'duration_seconds',
    'error_message',
    'attempts',
    'started_at',
    'completed_at',
    'provider',
  ] as const satisfies readonly (keyof UnitRow)[]
).join(', ');

/** `jobProvider` stands in for units from before each unit named its provider. */
export function toUnit(r: UnitRow, jobProvider: string): BackfillUnit {
  return {
    symbol: String(r.symbol),
    timeframe: String(r.timeframe) as Timeframe,
    provider: r.provider == null ? jobProvider : String(r.provider),
    status: String(r.status) as UnitStatus,
    records_fetched: Number(r.records_fetched),
    records_inserted: Number(r.records_inserted),
    records_updated: Number(r.records_updated ?? 0),
    duration_seconds: r.duration_seconds == null ? null : Math.round(Number(r.duration_seconds) * 1000) / 1000,
    error_message: r.error_message == null ? null : String(r.error_message),
    attempts: Number(r.attempts),
    started_at: iso(r.started_at),
    completed_at: iso(r.completed_at),
  };
}

/** A `backfill_job_events` row; `data` is text when it came through JSON. */
export interface EventRow {
  id: PgNumber;
  job_id: string;
  at: PgTimestamp;
  kind: string;
  symbol: string | null;
  timeframe: string | null;
  message: string;
  data: Record<string, unknown> | string | null;
}

export function toEvent(r: EventRow): JobEvent {
  return {
    id: String(r.id),
    job_id: String(r.job_id),
    at: isoRequired(r.at),
    kind: String(r.kind) as JobEventKind,
    symbol: r.symbol == null ? null : String(r.symbol),
    timeframe: r.timeframe == null ? null : String(r.timeframe),
    message: String(r.message),
    data: (typeof r.data === 'string' ? JSON.parse(r.data) : (r.data ?? null)) as Record<string, unknown> | null,
  };
}
