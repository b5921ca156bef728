import type { Alert, AlertDelivery, AlertKind } from '@candlebase/contracts';
import { type Executor, queryRows } from '@candlebase/db';
import { iso, isoRequired, type Row } from '@candlebase/db/rows';
import { sql } from 'drizzle-orm';
import { redactDeep, redactSecrets } from '../security/redact';

export interface NewAlert {
  kind: AlertKind;
  /** One open alert per key: raising it again while open does nothing. */
  key: string;
  subject: string;
  message: string;
  data?: Record<string, unknown> | null;
  /** An event rather than a condition (a job's failure): resolved when raised, never de-duplicated. */
  resolved?: boolean;
  /** Epoch ms; the database's now() when absent (inside the engine's transactions). */
  at?: number;
}

const at = (ms: number | undefined) =>
  ms === undefined ? sql`now()` : sql`${new Date(ms).toISOString()}::timestamptz`;

/** Raises an alert unless one is open under its key; true when a row was added. */
export async function raiseAlert(exec: Executor, a: NewAlert): Promise<boolean> {
  // Alerts leave the building (the webhook) and are shown to every reader: no secret goes into one.
  const rows = await queryRows<{ id: unknown }>(
    exec,
    sql`insert into alerts (kind, dedupe_key, subject, message, data, raised_at, resolved_at)
        values (${a.kind}, ${a.key}, ${a.subject}, ${redactSecrets(a.message)},
                ${a.data ? JSON.stringify(redactDeep(a.data)) : null}::jsonb, ${at(a.at)},
                ${a.resolved ? at(a.at) : null})
        on conflict (dedupe_key) where resolved_at is null do nothing
        returning id`,
  );
  return rows.length > 0;
}

/**
 * Raises many condition alerts of one kind at once, in one statement (a thousand stale series
 * cost one round trip a minute, not a thousand); those already open are left as they are.
 */
export async function raiseAlerts(
  exec: Executor,
  kind: AlertKind,
  list: readonly Omit<NewAlert, 'kind' | 'resolved' | 'at'>[],
  now: number,
): Promise<number> {
  if (list.length === 0) return 0;
  const col = (f: (a: (typeof list)[number]) => string | null) => sql.param(list.map(f));
  const rows = await queryRows<{ id: unknown }>(
    exec,
    sql`insert into alerts (kind, dedupe_key, subject, message, data, raised_at)
        select ${kind}, k, s, m, d::jsonb, ${at(now)}
        from unnest(${col((a) => a.key)}::text[], ${col((a) => a.subject)}::text[],
                    ${col((a) => redactSecrets(a.message))}::text[],
                    ${col((a) => (a.data ? JSON.stringify(redactDeep(a.data)) : null))}::text[]) as u(k, s, m, d)
        on conflict (dedupe_key) where resolved_at is null do nothing
        returning id`,
  );
  return rows.length;
}

/**
 * Resolves the open alerts of `kind` whose keys are not in `stillOpen`: the condition has ended,
 * so the next time it happens is a new alert. Returns how many were resolved.
 */
export async function resolveAlertsExcept(
  exec: Executor,
  kind: AlertKind,
  stillOpen: readonly string[],
  now?: number,
): Promise<number> {
  const rows = await queryRows<{ id: unknown }>(
    exec,
    sql`update alerts set resolved_at = ${at(now)}
        where kind = ${kind} and resolved_at is null and not (dedupe_key = any(${sql.param([...stillOpen])}::text[]))
        returning id`,
  );
  return rows.length;
}

const COLUMNS = sql.raw(
  'id, kind, subject, message, data, raised_at, resolved_at, delivery, attempts, delivered_at, last_error',
);

export function toAlert(r: Row, webhook: boolean): Alert {
  const stored = String(r.delivery) as AlertDelivery;
  const data = typeof r.data === 'string' ? (JSON.parse(r.data) as Record<string, unknown>) : r.data;
  return {
    id: String(r.id),
    kind: String(r.kind) as AlertKind,
    subject: String(r.subject),
    message: String(r.message),
    at: isoRequired(r.raised_at),
    resolved_at: iso(r.resolved_at),
    // Waiting for a webhook that is not configured is not "pending": it will not be sent.
    delivery: stored === 'pending' && !webhook ? 'unsent' : stored,
    attempts: Number(r.attempts),
    delivered_at: iso(r.delivered_at),
    last_error: r.last_error == null ? null : String(r.last_error),
    data: (data ?? null) as Record<string, unknown> | null,
  };
}

/** The newest alerts first. */
export async function recentAlerts(exec: Executor, limit: number, webhook: boolean): Promise<Alert[]> {
  const rows = await queryRows<Row>(exec, sql`select ${COLUMNS} from alerts order by id desc limit ${limit}`);
  return rows.map((r) => toAlert(r, webhook));
}
