import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createDatabase, type Database, migrate } from '@candlebase/db';
import type { MarketDataProvider } from '@candlebase/providers';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
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
import { SymbolListCache } from './queries/symbol-list-cache';
import { createSharedBudgets } from './quota/shared-budget';
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
    options.database ?? (await createDatabase({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR }));
  log.info(
    database.engine === 'postgres'
      ? `database: Postgres at ${database.location}`
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
  const dbHealth = new DatabaseHealth(database);
  await dbHealth.check();
  dbHealth.start();
  const shutdown = new AbortController();
  const clock = options.clock ?? Date.now;
  const app: AppContext = {
    config,
    database,
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
    symbolList: new SymbolListCache(database.db),
    checks: new SharedAnswer(() => runChecks(database, provider), 0),
  };
  const stopInvalidating = hub.onAnyJob((jobId) => app.symbolList.jobChanged(jobId));
  const stopSymbolWatch = hub.onSymbolsChanged(() => app.symbolList.invalidate());
  if (config.WORKER_ENABLED || !options.http) {
    app.worker = new BackfillWorker(database, providers, hub, log.child({ component: 'worker' }), {
      concurrency: config.WORKER_CONCURRENCY,
      leaseSeconds: config.WORKER_LEASE_SECONDS,
      clock,
      onProviderAnswer: (name, ok, error) => reachability.record(name, ok, error),
    });
    app.worker.start();
    log.info(
      `worker ${app.worker.id}: ${config.WORKER_CONCURRENCY} units at a time, providers ${providers.names().join(', ')}; default ${provider.name}${provider.demo ? ' (demo data)' : ''}`,
    );
  }
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
      await app.worker?.stop();
      dbHealth.stop();
      stopInvalidating();
      stopSymbolWatch();
      await hub.stop();
      await database.close();
    })();
    return stopping;
  };
  return { app, http, url, stop };
}
