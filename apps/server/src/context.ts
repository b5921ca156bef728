import type { Checks } from '@candlebase/contracts';
import type { Database } from '@candlebase/db';
import type { MarketDataProvider } from '@candlebase/providers';
import type { Logger } from 'pino';
import type { NotificationHub } from './backfill/events';
import type { ProgressFeeds } from './backfill/job-feed';
import type { Config } from './config';
import type { DatabaseHealth } from './db-health';
import type { ProviderReachability } from './providers/reachability';
import type { ProviderRegistry } from './providers/registry';
import type { SymbolListFeed } from './queries/symbol-feed';
import type { ReadRouting } from './read-routing';
import type { SlidingWindowLimiter } from './security/rate-limit';
import type { SharedAnswer } from './security/shared-answer';

/** What the app shows of this process's worker (`system.health`); start.ts owns the worker itself. */
export interface WorkerStatus {
  readonly id: string;
  /** Units running now. */
  readonly running: number;
}

export interface SchedulerState {
  enabled: boolean;
  lastRun: Date | null;
  nextRun: Date | null;
}

/** Everything a request or a background task needs, built once at start (see `start.ts`). */
export interface AppContext {
  config: Config;
  database: Database;
  /** Where read-only procedures read: the replica (DATABASE_READ_URL) when it has what they must show. */
  reads: ReadRouting;
  /** The default provider (MARKET_DATA_PROVIDER); each symbol may have another, from `providers`. */
  provider: MarketDataProvider;
  /** Every configured provider, and the rule that gives a new symbol its own. */
  providers: ProviderRegistry;
  /** Each provider's last ping, for `system.health`. */
  reachability: ProviderReachability;
  hub: NotificationHub;
  /** One shared reader per followed job, fanned out to its subscribers. */
  progress: ProgressFeeds;
  worker: WorkerStatus | null;
  log: Logger;
  startedAt: number;
  /** The time, for everything that asks what has happened by now (closed bars, fetch stamps); tests pin it. */
  clock: () => number;
  dbHealth: DatabaseHealth;
  scheduler: SchedulerState;
  version: string;
  limits: { backfillCreation: SlidingWindowLimiter; checks: SlidingWindowLimiter };
  /** The symbol list, kept current by NOTIFYs and the clock, as a sequence of per-symbol changes. */
  symbolFeed: SymbolListFeed;
  /** "Run Checks" scans every candle: callers that overlap share one run. */
  checks: SharedAnswer<Checks>;
  /** Aborts when the process shuts down: long-lived streams end with it. */
  shutdown: AbortSignal;
}
