import { z } from 'zod';

/** What an alert is about: a job that ended failed, a data-quality check that failed, a series gone stale. */
export const ALERT_KINDS = ['job_failed', 'check_failed', 'series_stale'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * Where the alert's webhook delivery stands: `pending` until the receiver answers 2xx
 * (`delivered`), `failed` after the last attempt or an answer not worth retrying; `unsent` when no
 * webhook is configured.
 */
export const ALERT_DELIVERIES = ['pending', 'delivered', 'failed', 'unsent'] as const;
export type AlertDelivery = (typeof ALERT_DELIVERIES)[number];

export const alertSchema = z.object({
  id: z.string(),
  kind: z.enum(ALERT_KINDS),
  /** The job id, the check's name, or the series ("AAPL 5m"). */
  subject: z.string(),
  message: z.string(),
  /** ISO instant the alert was raised. */
  at: z.string(),
  /** ISO instant the condition ended (a stale series fresh again); a job's failure is over when raised. */
  resolved_at: z.string().nullable(),
  delivery: z.enum(ALERT_DELIVERIES),
  attempts: z.number().int(),
  delivered_at: z.string().nullable(),
  /** The receiver's answer (or the network's) to the last failed attempt. */
  last_error: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type Alert = z.infer<typeof alertSchema>;

export const alertsInputSchema = z
  .object({ limit: z.number().int().min(1).max(200).default(50) })
  .default({ limit: 50 });

export const alertListSchema = z.object({
  /** Whether a webhook (ALERT_WEBHOOK_URL) is configured. */
  webhook: z.boolean(),
  alerts: z.array(alertSchema),
});
export type AlertList = z.infer<typeof alertListSchema>;

/**
 * The JSON body POSTed to ALERT_WEBHOOK_URL. `sent_at` is the attempt's time (also in the
 * X-Candlebase-Timestamp header), inside the signed body so a receiver can refuse replays.
 */
export const alertWebhookSchema = z.object({
  id: z.string(),
  kind: z.enum(ALERT_KINDS),
  subject: z.string(),
  message: z.string(),
  at: z.string(),
  sent_at: z.string(),
  attempt: z.number().int(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type AlertWebhook = z.infer<typeof alertWebhookSchema>;
