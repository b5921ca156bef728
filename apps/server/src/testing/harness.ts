import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appRouter, createCallerFactory } from '@candlebase/api';
import type { Engine } from '@candlebase/db';
import { createTestDatabase, type TestDatabase } from '@candlebase/db/testing';
import type { MarketDataProvider } from '@candlebase/providers';
import pino from 'pino';
import { apiServices } from '../api-services';
import { type Config, loadConfig } from '../config';
import { type Running, start } from '../start';

export interface Harness {
  running: Running;
  test: TestDatabase;
  /** A tRPC caller as an authorised local client. */
  caller: ReturnType<typeof createCaller>;
  url: string;
  close(): Promise<void>;
}

const createCaller = createCallerFactory(appRouter);

/**
 * A real server (HTTP on a free loopback port, worker, NOTIFY hub) on a fresh database of the
 * given engine. Nothing of ours is mocked; pass `provider` to point it at a fake provider server.
 */
export async function startHarness(
  engine: Engine,
  options: {
    env?: Record<string, string>;
    provider?: MarketDataProvider;
    /** More providers, or configured ones replaced by name (real clients of local fakes). */
    providers?: MarketDataProvider[];
    http?: boolean;
    clock?: () => number;
  } = {},
): Promise<Harness> {
  const test = await createTestDatabase(engine);
  const uploads = mkdtempSync(join(tmpdir(), 'candlebase-uploads-'));
  const config: Config = loadConfig({
    PORT: '0',
    UPLOAD_DIR: uploads,
    SEED_DEMO: 'false',
    SCHEDULER_ENABLED: 'false',
    WORKER_LEASE_SECONDS: '5',
    ...(test.url ? { DATABASE_URL: test.url } : {}),
    ...options.env,
  });
  const running = await start(config, {
    http: options.http ?? true,
    database: test.database,
    provider: options.provider,
    ...(options.providers ? { providers: options.providers } : {}),
    clock: options.clock,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  const caller = createCaller({
    services: apiServices(running.app, 'test'),
    authReads: running.app.config.AUTH_READS,
    authorized: true,
    client: 'test',
  });
  return {
    running,
    test,
    caller,
    url: running.url ?? '',
    async close() {
      await running.stop().catch(() => {});
      await test.drop().catch(() => {});
      rmSync(uploads, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
