import type { Health, Metrics } from '@candlebase/contracts';
import type { AppContext } from './context';
import { countEverything } from './queries/metrics';

export async function health(app: AppContext, pingAll = false): Promise<Health> {
  const [, all] = await Promise.all([app.dbHealth.check(), app.reachability.statuses({ pingAll })]);
  const h = app.dbHealth;
  return {
    status: h.ok ? 'ok' : 'degraded',
    version: app.version,
    uptime_s: Math.round((Date.now() - app.startedAt) / 1000),
    database: {
      engine: app.database.engine,
      ok: h.ok,
      latency_ms: h.latencyMs,
      migration: h.migration,
      last_error: h.lastError,
      last_outage_at: h.lastOutageAt?.toISOString() ?? null,
      recovered_at: h.recoveredAt?.toISOString() ?? null,
      roles: { read_replica: app.database.replica !== null, direct_listen: app.database.listenLocation !== null },
      replica: h.replica && { ok: h.replica.ok, lag_ms: h.replica.lagMs, last_error: h.replica.lastError },
    },
    provider: { name: app.provider.name, demo: app.provider.demo },
    providers: all.find((p) => p.name === app.provider.name)?.budgets ?? [],
    all_providers: all,
    worker: {
      enabled: app.worker !== null,
      id: app.worker?.id ?? null,
      concurrency: app.config.WORKER_CONCURRENCY,
      running: app.worker?.running ?? 0,
    },
    auth_required: app.config.API_TOKEN !== undefined,
  };
}

export async function metrics(app: AppContext, client: string): Promise<Metrics> {
  const counts = await countEverything(await app.reads.forClient(client));
  return {
    ...counts,
    scheduler: {
      enabled: app.scheduler.enabled,
      last_run: app.scheduler.lastRun?.toISOString() ?? null,
      next_run: app.scheduler.nextRun?.toISOString() ?? null,
    },
    generated_at: new Date().toISOString(),
  };
}
