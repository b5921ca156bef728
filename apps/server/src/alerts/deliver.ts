import { createHmac } from 'node:crypto';
import type { AlertKind, AlertWebhook } from '@candlebase/contracts';
import { type Executor, queryRows } from '@candlebase/db';
import { isoRequired, type Row } from '@candlebase/db/rows';
import { backoffDelay, parseRetryAfter } from '@candlebase/providers';
import { sql } from 'drizzle-orm';
import { redactSecrets } from '../security/redact';

export const SIGNATURE_HEADER = 'x-candlebase-signature';
export const TIMESTAMP_HEADER = 'x-candlebase-timestamp';

/** `sha256=<hex HMAC-SHA256 of the raw body>`: what a receiver recomputes with the shared secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookOptions {
  url: string;
  secret: string;
  /** Attempts in all; after the last one fails the alert is marked failed. */
  maxAttempts: number;
  clock: () => number;
  /** The backoff of the first retry; it doubles each time up to `maxDelayMs` (full jitter). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The longest Retry-After honoured; a receiver asking for more is retried after this. */
  maxRetryAfterMs?: number;
  random?: () => number;
  timeoutMs?: number;
  /** How long a claim is ours: a process that dies mid-send leaves the alert to another after it. */
  leaseMs?: number;
  /** Alerts claimed per round. */
  batch?: number;
  userAgent?: string;
}

const DEFAULTS = {
  baseDelayMs: 5_000,
  maxDelayMs: 15 * 60_000,
  maxRetryAfterMs: 60 * 60_000,
  random: Math.random,
  timeoutMs: 10_000,
  leaseMs: 60_000,
  batch: 10,
  userAgent: 'Candlebase',
};

interface Claimed {
  id: number;
  attempt: number;
  payload: Omit<AlertWebhook, 'sent_at' | 'attempt'>;
}

const ts = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;

/**
 * Claims due alerts: pending, past their backoff, and not being sent by a live process. SKIP
 * LOCKED lets every server and worker claim side by side without two taking one alert; the
 * attempt number taken here fences the claim's settlement.
 */
export async function claimDueAlerts(exec: Executor, now: number, leaseMs: number, limit: number): Promise<Claimed[]> {
  const rows = await queryRows<Row>(
    exec,
    sql`with due as (
          select id from alerts
          where delivery = 'pending' and (next_attempt_at is null or next_attempt_at <= ${ts(now)})
            and (lease_expires_at is null or lease_expires_at <= ${ts(now)})
          order by id limit ${limit}
          for update skip locked)
        update alerts a set attempts = a.attempts + 1, lease_expires_at = ${ts(now + leaseMs)}
        from due where a.id = due.id
        returning a.id, a.kind, a.subject, a.message, a.data, a.raised_at, a.attempts`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    attempt: Number(r.attempts),
    payload: {
      id: String(r.id),
      kind: String(r.kind) as AlertKind,
      subject: String(r.subject),
      message: String(r.message),
      at: isoRequired(r.raised_at),
      data: (typeof r.data === 'string' ? JSON.parse(r.data) : (r.data ?? null)) as Record<string, unknown> | null,
    },
  }));
}

type Outcome = { ok: true } | { ok: false; retry: boolean; retryAfterMs?: number | undefined; error: string };

/** 408 and 429 say "later", a 5xx may pass; any other 4xx (or a redirect) would get the same answer again. */
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

async function post(alert: Claimed, o: WebhookOptions & typeof DEFAULTS): Promise<Outcome> {
  const sentAt = o.clock();
  const body = JSON.stringify({ ...alert.payload, sent_at: new Date(sentAt).toISOString(), attempt: alert.attempt });
  try {
    const res = await fetch(o.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': o.userAgent,
        [SIGNATURE_HEADER]: signBody(body, o.secret),
        [TIMESTAMP_HEADER]: String(Math.floor(sentAt / 1000)),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(o.timeoutMs),
    });
    const text = (await res.text().catch(() => '')).slice(0, 200).trim();
    if (res.ok) return { ok: true };
    return {
      ok: false,
      retry: retryable(res.status),
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), sentAt),
      error: `The webhook answered ${res.status}${text ? `: ${text}` : ''}`,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${o.timeoutMs / 1000} s`
        : (cause ?? (error as Error).message);
    return { ok: false, retry: true, error: `The webhook could not be reached: ${reason}` };
  }
}

async function settle(exec: Executor, alert: Claimed, outcome: Outcome, o: WebhookOptions & typeof DEFAULTS) {
  const now = o.clock();
  const fence = sql`where id = ${alert.id} and attempts = ${alert.attempt} and delivery = 'pending'`;
  if (outcome.ok) {
    await exec.execute(sql`update alerts set delivery = 'delivered', delivered_at = ${ts(now)},
                           lease_expires_at = null, last_error = null ${fence}`);
    return 'delivered' as const;
  }
  const error = redactSecrets(outcome.error);
  if (!outcome.retry || alert.attempt >= o.maxAttempts) {
    const why = outcome.retry ? `${error} (gave up after ${alert.attempt} attempts)` : error;
    await exec.execute(
      sql`update alerts set delivery = 'failed', lease_expires_at = null, last_error = ${why} ${fence}`,
    );
    return 'failed' as const;
  }
  const backoff = backoffDelay(alert.attempt, o);
  const delay = Math.max(backoff, Math.min(outcome.retryAfterMs ?? 0, o.maxRetryAfterMs));
  await exec.execute(sql`update alerts set next_attempt_at = ${ts(now + delay)}, lease_expires_at = null,
                         last_error = ${error} ${fence}`);
  return 'retrying' as const;
}

export interface DeliveryRound {
  delivered: number;
  retrying: number;
  failed: number;
}

/** One round: claims what is due, POSTs each (side by side), and records each outcome. */
export async function deliverDueAlerts(exec: Executor, options: WebhookOptions): Promise<DeliveryRound> {
  const o = { ...DEFAULTS, ...options };
  const claimed = await claimDueAlerts(exec, o.clock(), o.leaseMs, o.batch);
  const round: DeliveryRound = { delivered: 0, retrying: 0, failed: 0 };
  await Promise.all(
    claimed.map(async (alert) => {
      round[await settle(exec, alert, await post(alert, o), o)] += 1;
    }),
  );
  return round;
}
