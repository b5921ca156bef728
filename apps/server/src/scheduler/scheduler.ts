import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppContext } from '../context';
import { lastRunAt, type RefreshTiming, refreshTick, TASKS, type TickResult } from './tick';

/** Providers publish a bar a little after it closes: tick this long after each boundary. */
const SETTLE_MS = 20_000;

/**
 * Refreshes active series on the clock: every REFRESH_INTRADAY_MINUTES for intraday timeframes,
 * once a day at REFRESH_DAILY_HOUR_UTC for 1d. Every process may run one; the advisory lock and
 * the slot claims in `refreshTick` make exactly one of them enqueue per slot. It keeps
 * `app.scheduler` (enabled, last run anywhere, next run here) current for `system.metrics`.
 */
export class RefreshScheduler {
  readonly runner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly app: AppContext,
    private readonly clock: () => number = Date.now,
  ) {}

  private get timing(): RefreshTiming {
    return {
      intradayMinutes: this.app.config.REFRESH_INTRADAY_MINUTES,
      dailyHourUtc: this.app.config.REFRESH_DAILY_HOUR_UTC,
    };
  }

  /** The next boundary of any task, plus the settle delay. */
  nextRunAfter(now: number): number {
    return Math.min(...TASKS.map((t) => t.next(now - SETTLE_MS, this.timing))) + SETTLE_MS;
  }

  /** Ticks now (a slot missed while no server ran is caught up), then at each boundary. */
  start(): void {
    this.app.scheduler.enabled = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight?.catch(() => {});
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.app.scheduler.nextRun = new Date(this.clock() + delayMs);
    this.timer = setTimeout(() => {
      this.inFlight = this.tick()
        .catch((err: unknown) => this.app.log.warn({ err: String(err) }, 'scheduled refresh failed; next slot retries'))
        .finally(() => this.schedule(Math.max(1000, this.nextRunAfter(this.clock()) - this.clock())));
    }, delayMs);
    this.timer.unref();
  }

  async tick(now = this.clock()): Promise<TickResult> {
    const { database, providers } = this.app;
    const result = await refreshTick(database, {
      rule: (assetClass) => providers.forAssetClass(assetClass),
      timing: this.timing,
      runner: this.runner,
      now,
      reread: {
        intradayMs: this.app.config.REFRESH_REREAD_MINUTES * 60_000,
        dailySessions: this.app.config.REFRESH_REREAD_SESSIONS,
      },
    });
    this.app.scheduler.lastRun = await lastRunAt(database.db);
    if (result.job) {
      this.app.log.info(
        `scheduled refresh: job ${result.job.job_id}, ${result.units} series (${result.ran.join(', ')})`,
      );
    }
    return result;
  }
}
