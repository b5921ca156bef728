import type {
  BackfillJob,
  BackfillUnit,
  JobEvent,
  JobEventKind,
  JobStatus,
  Timeframe,
  UnitStatus,
} from '@candlebase/contracts';

/** postgres-js (through drizzle) returns timestamps as text and PGlite as Date: one ISO form for both. */
export function toMs(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  // Postgres text form: "2024-01-02 15:00:00.123+00" (offset without minutes).
  const text = String(v)
    .replace(' ', 'T')
    .replace(/([+-]\d\d)$/, '$1:00');
  return Date.parse(text);
}

export function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
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

export const JOB_COLUMNS = `id, symbols, start_date, end_date, timeframes, provider, status, progress_pct,
  symbols_completed, symbols_total, total_records_inserted, total_records_updated, current_symbol, error, created_at,
  started_at, completed_at, cancel_requested_at`;

export type Row = Record<string, unknown>;

export function toJob(r: Row): BackfillJob {
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

export const UNIT_COLUMNS = `symbol, timeframe, status, records_fetched, records_inserted, records_updated, duration_seconds,
  error_message, attempts, started_at, completed_at, provider`;

/** `jobProvider` stands in for units from before each unit named its provider. */
export function toUnit(r: Row, jobProvider: string): BackfillUnit {
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

export function toEvent(r: Row): JobEvent {
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
