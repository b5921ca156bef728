import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createDatabase, type Database, migrate } from '@candlebase/db';
import type { MarketDataProvider } from '@candlebase/providers';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { recordCheckResults } from './alerts/conditions';
import { AlertMonitor } from './alerts/monitor';
import { buildHttpApp } from './app';
import { NotificationHub } from './backfill/events';
import { ProgressFeeds } from './backfill/job-feed';
import { BackfillWorker } from './backfill/worker';
import { type Config, ConfigError } from './config';
import type { AppContext } from './context';
import { DatabaseHealth } from './db-health';
import { runChecks } from './enrichment/checks';
import { createLogger } from './log';
import { registryFromConfig, uploadSeriesDir } from './providers/from-config';
import { ProviderReachability } from './providers/reachability';
import { SymbolListFeed } from './queries/symbol-feed';
import { createSharedBudgets } from './quota/shared-budget';
import { ReadRouting } from './read-routing';
import { RefreshScheduler } from './scheduler/scheduler';
import { SlidingWindowLimiter } from './security/rate-limit';
import { registerSecret } from './security/redact';
import { SharedAnswer } from './security/shared-answer';
import { seedDemoWatchlist } from './seed';

export const VERSION = '0.1.0';

/**
 * "Run Checks" scans every candle. Callers that ask while a run is under way share it (a batch of
 * 20 costs one run), and one client may start at most this many a minute.
 */
const CHECKS_PER_MINUTE = 30;

export interface Running {
  app: AppContext;
  http: FastifyInstance | null;
  url: string | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Serve HTTP (the API server); false for a worker-only process. */
  http: boolean;
  log?: Logger;
  /** Replace the default provider (tests pointing at a local fake server build a real client themselves). */
  provider?: MarketDataProvider;
  /** Add providers, or replace configured ones by name (real clients pointed at local fakes). */
  providers?: readonly MarketDataProvider[];
  /** Use this (already migrated or not) database instead of opening the configured one. */
  database?: Database;
  /** The clock (epoch ms) the worker and scheduler go by; Date.now unless a test pins it. */
  clock?: () => number;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** The configured values no stored or logged message may show. */
function registerConfiguredSecrets(config: Config): void {
  registerSecret(config.POLYGON_API_KEY);
  registerSecret(config.API_TOKEN);
  registerSecret(config.ALERT_WEBHOOK_SECRET);
  // A webhook URL is often a credential itself (Slack's and Teams' carry their token in the path).
  registerSecret(config.ALERT_WEBHOOK_URL, 'ALERT_WEBHOOK_URL');
  if (config.CSV_DIR) {
    // The folder's place on the server is nobody's business: messages name the setting instead.
    registerSecret(resolve(config.CSV_DIR), 'CSV_DIR');
    registerSecret(config.CSV_DIR, 'CSV_DIR');
  }
}

/** config -> database -> migrations -> seed -> worker -> HTTP. Each step logs one line. */
export async function start(config: Config, options: StartOptions): Promise<Running> {
  if (options.http && !config.API_TOKEN && !LOOPBACK.test(config.HOST)) {
    throw new ConfigError(
      `Refusing to listen on ${config.HOST} without an API token: set API_TOKEN=<a long random string> to open Candlebase to the network, or keep HOST=127.0.0.1`,
    );
  }
  registerConfiguredSecrets(config);
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  const database =
    options.database ??
    (await createDatabase({
      url: config.DATABASE_URL,
      pgliteDir: config.PGLITE_DIR,
      listenUrl: config.DATABASE_LISTEN_URL,
      readUrl: config.DATABASE_READ_URL,
    }));
  log.info(
    database.engine === 'postgres'
      ? `database: Postgres at ${database.location}${database.listenLocation ? `, LISTEN and locks at ${database.listenLocation}` : ''}${database.replica ? `, reads from the replica at ${database.replica.location}` : ''}`
      : `database: embedded PGlite in ${database.location} (set DATABASE_URL to use Postgres)`,
  );
  const migration = await migrate(database);
  log.info(`migrations: ${migration.applied} applied, schema at ${migration.version}`);
  // Every server and worker on this database spends one quota per provider key, kept in provider_quota.
  // The upload provider's folder exists from the start, so its reachability says yes.
  await mkdir(uploadSeriesDir(config), { recursive: true });
  const providers = registryFromConfig(config, createSharedBudgets(database), options);
  const provider = providers.default;
  const reachability = new ProviderReachability(providers);
  if (config.SEED_DEMO) {
    const seeded = await seedDemoWatchlist(database.db, (assetClass) => providers.forAssetClass(assetClass));
    if (seeded > 0) log.info(`seeded the demo watchlist: ${seeded} symbols`);
  }
  const hub = new NotificationHub(database);
  await hub.start();
  const reads = new ReadRouting(database);
  const dbHealth = new DatabaseHealth(database, reads);
  await dbHealth.check();
  dbHealth.start();
  const shutdown = new AbortController();
  const clock = options.clock ?? Date.now;
  const app: AppContext = {
    config,
    database,
    reads,
    provider,
    providers,
    reachability,
    hub,
    progress: new ProgressFeeds(database, hub),
    worker: null,
    log,
    startedAt: Date.now(),
    clock,
    dbHealth,
    scheduler: { enabled: false, lastRun: null, nextRun: null },
    version: VERSION,
    shutdown: shutdown.signal,
    limits: {
      backfillCreation: new SlidingWindowLimiter(config.BACKFILL_RATE_PER_MINUTE, 60_000, 'backfills'),
      checks: new SlidingWindowLimiter(CHECKS_PER_MINUTE, 60_000, 'runs of the checks'),
    },
    symbolFeed: new SymbolListFeed(database.db, { clock }),
    // Whoever runs the checks raises (and resolves) their alerts.
    checks: new SharedAnswer(async () => {
      const result = await runChecks(database, provider, { now: clock() });
      await recordCheckResults(database.db, result, clock()).catch((err: unknown) => {
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'alerts: could not record the checks');
      });
      return result;
    }, 0),
  };
  const stopInvalidating = hub.onAnyJob((jobId) => app.symbolFeed.jobChanged(jobId));
  const stopSymbolWatch = hub.onSymbolsChanged((symbol) =>
    symbol ? app.symbolFeed.symbolChanged(symbol) : app.symbolFeed.invalidate(),
  );
  app.symbolFeed.start();
  let worker: BackfillWorker | null = null;
  if (config.WORKER_ENABLED || !options.http) {
    worker = new BackfillWorker(
      { database, clock, providers, notifier: hub, log: log.child({ component: 'worker' }) },
      {
        concurrency: config.WORKER_CONCURRENCY,
        leaseSeconds: config.WORKER_LEASE_SECONDS,
        onProviderAnswer: (name, ok, error) => reachability.record(name, ok, error),
      },
    );
    worker.start();
    app.worker = worker;
    log.info(
      `worker ${worker.id}: ${config.WORKER_CONCURRENCY} units at a time, providers ${providers.names().join(', ')}; default ${provider.name}${provider.demo ? ' (demo data)' : ''}`,
    );
  }
  const alerts = new AlertMonitor(database, log.child({ component: 'alerts' }), {
    webhook:
      config.ALERT_WEBHOOK_URL && config.ALERT_WEBHOOK_SECRET
        ? {
            url: config.ALERT_WEBHOOK_URL,
            secret: config.ALERT_WEBHOOK_SECRET,
            maxAttempts: config.ALERT_WEBHOOK_MAX_ATTEMPTS,
            userAgent: `Candlebase/${VERSION}`,
          }
        : null,
    clock,
    staleAfterMs: config.ALERT_STALE_AFTER_MINUTES > 0 ? config.ALERT_STALE_AFTER_MINUTES * 60_000 : null,
  });
  alerts.start();
  log.info(
    `alerts: ${config.ALERT_WEBHOOK_URL ? `sent to ALERT_WEBHOOK_URL, up to ${config.ALERT_WEBHOOK_MAX_ATTEMPTS} attempts each` : 'kept and shown, not sent (no ALERT_WEBHOOK_URL)'}; stale series after ${config.ALERT_STALE_AFTER_MINUTES > 0 ? `${config.ALERT_STALE_AFTER_MINUTES} min` : 'never'}`,
  );
  const scheduler = config.SCHEDULER_ENABLED ? new RefreshScheduler(app, clock) : null;
  if (scheduler) {
    scheduler.start();
    log.info(
      `scheduler: intraday series every ${config.REFRESH_INTRADAY_MINUTES} min, 1d daily at ${config.REFRESH_DAILY_HOUR_UTC}:00 UTC`,
    );
  }
  let http: FastifyInstance | null = null;
  let url: string | null = null;
  if (options.http) {
    http = await buildHttpApp(app);
    await http.listen({ host: config.HOST, port: config.PORT });
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    url = `http://${host}:${port}`;
  }
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      shutdown.abort();
      await http?.close();
      await scheduler?.stop();
      await alerts.stop();
      await worker?.stop();
      dbHealth.stop();
      stopInvalidating();
      stopSymbolWatch();
      app.symbolFeed.stop();
      await hub.stop();
      await database.close();
    })();
    return stopping;
  };
  return { app, http, url, stop };
}
