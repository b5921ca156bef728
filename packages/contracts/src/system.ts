import { z } from 'zod';
import { JOB_STATUSES } from './backfill';
import { assetClassSchema } from './symbols';

/**
 * One provider request budget as `system.health` reports it. "Minute" is the provider's window:
 * a minute unless the server was configured with a shorter one (`window_ms` says which).
 */
export const providerBudgetSchema = z.object({
  name: z.string(),
  unit: z.enum(['requests', 'weight']),
  budget_per_minute: z.number().int(),
  used_last_minute: z.number(),
  window_ms: z.number().int(),
  /** ISO instant until which every process holds back after the provider said 429; null when not paused. */
  paused_until: z.string().nullable(),
  /** True when every server and worker on the database spends this one count. */
  shared: z.boolean(),
});
export type ProviderBudget = z.infer<typeof providerBudgetSchema>;

/** One configured provider as `system.health` reports it: every one is available at once. */
export const providerStatusSchema = z.object({
  name: z.string(),
  /** Generated data, labelled "demo data". */
  demo: z.boolean(),
  /** The asset classes whose new symbols get this provider by the rule (MARKET_DATA_PROVIDER, CRYPTO_PROVIDER, ...). */
  default_for: z.array(assetClassSchema),
  /** Whether it answered the last request or ping; null before any (see `system.pingProviders`). */
  reachable: z.boolean().nullable(),
  checked_at: z.string().nullable(),
  latency_ms: z.number().nullable(),
  /** The provider's words when the last ping failed. */
  error: z.string().nullable(),
  budgets: z.array(providerBudgetSchema),
});
export type ProviderStatus = z.infer<typeof providerStatusSchema>;

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptime_s: z.number(),
  database: z.object({
    engine: z.enum(['postgres', 'pglite']),
    ok: z.boolean(),
    latency_ms: z.number().nullable(),
    migration: z.string().nullable(),
    last_error: z.string().nullable(),
    last_outage_at: z.string().nullable(),
    recovered_at: z.string().nullable(),
    /** Which connections are configured: reads on a replica (DATABASE_READ_URL), LISTEN and locks on their own (DATABASE_LISTEN_URL). */
    roles: z.object({ read_replica: z.boolean(), direct_listen: z.boolean() }),
    /** The read replica as last checked; null without one. */
    replica: z
      .object({
        ok: z.boolean(),
        /** 0 when it has replayed all it received, else the age of the last transaction it replayed. */
        lag_ms: z.number().nullable(),
        last_error: z.string().nullable(),
      })
      .nullable(),
  }),
  /** The default provider (MARKET_DATA_PROVIDER). */
  provider: z.object({ name: z.string(), demo: z.boolean() }),
  /** The request budgets of the default provider (every provider's are in `all_providers`). */
  providers: z.array(providerBudgetSchema),
  /** Every configured provider, with its reachability and budgets. */
  all_providers: z.array(providerStatusSchema),
  worker: z.object({
    enabled: z.boolean(),
    id: z.string().nullable(),
    concurrency: z.number().int(),
    running: z.number().int(),
  }),
  auth_required: z.boolean(),
});
export type Health = z.infer<typeof healthSchema>;

export const metricsSchema = z.object({
  symbols: z.number().int(),
  active_symbols: z.number().int(),
  candles: z.number().int(),
  jobs: z.record(z.enum(JOB_STATUSES), z.number().int()),
  latest_data: z.string().nullable(),
  scheduler: z.object({
    enabled: z.boolean(),
    last_run: z.string().nullable(),
    next_run: z.string().nullable(),
  }),
  generated_at: z.string(),
});
export type Metrics = z.infer<typeof metricsSchema>;

export const checkResultSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  details: z.string(),
});
export const checksSchema = z.object({
  ok: z.boolean(),
  checks: z.array(checkResultSchema),
  ran_at: z.string(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;
export type Checks = z.infer<typeof checksSchema>;
