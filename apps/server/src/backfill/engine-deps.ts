import type { Database } from '@candlebase/db';
import type { Logger } from 'pino';
import type { ProviderRegistry } from '../providers/registry';
import type { NotificationHub } from './events';

/**
 * What the engine needs from the process, and nothing more: the app context satisfies it, and a
 * test or a worker-only process can hand it exactly these. The engine never imports context.ts
 * (a dependency-cruiser rule keeps it so).
 */
export interface EngineDeps {
  database: Database;
  /** The time (epoch ms): which bars have closed, `fetched_at`, which actions are due; tests pin it. */
  clock: () => number;
  providers: ProviderRegistry;
  /** Wakes the worker when work is queued (NOTIFY); the worker polls as well, so a lost one only delays. */
  notifier: Pick<NotificationHub, 'onWork'>;
  log: Logger;
}
