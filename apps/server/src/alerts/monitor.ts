import type { Database } from '@candlebase/db';
import type { Logger } from 'pino';
import { evaluateStaleSeries } from './conditions';
import { deliverDueAlerts, type WebhookOptions } from './deliver';

export interface AlertMonitorOptions {
  /** Without one, alerts are kept and shown but not sent. */
  webhook: Omit<WebhookOptions, 'clock'> | null;
  clock: () => number;
  /** Null: no stale-series alerts. */
  staleAfterMs: number | null;
  /** How often due deliveries are looked for (each process looks; SKIP LOCKED shares them out). */
  deliverEveryMs?: number;
  /** How often series are checked for staleness. */
  evaluateEveryMs?: number;
}

/** Every process runs one: it sends due alerts and raises stale-series ones on the app's clock. */
export class AlertMonitor {
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly database: Database,
    private readonly log: Logger,
    private readonly options: AlertMonitorOptions,
  ) {}

  start(): void {
    const { webhook, staleAfterMs } = this.options;
    if (webhook) {
      const send = { ...webhook, clock: this.options.clock };
      this.loops.push(
        this.every(this.options.deliverEveryMs ?? 1000, async () => {
          const round = await deliverDueAlerts(this.database.db, send);
          if (round.failed > 0) this.log.warn(`alerts: ${round.failed} could not be delivered and were given up`);
        }),
      );
    }
    if (staleAfterMs !== null) {
      this.loops.push(
        this.every(
          this.options.evaluateEveryMs ?? 60_000,
          async () => {
            await evaluateStaleSeries(this.database.db, this.options.clock(), staleAfterMs);
          },
          true,
        ),
      );
    }
  }

  /** Runs `step` every `ms` (the first time after `ms` when `wait` says so) until stopped. */
  private async every(ms: number, step: () => Promise<void>, wait = false): Promise<void> {
    const signal = this.abort.signal;
    let failing = false;
    if (wait) await this.sleep(ms);
    while (!signal.aborted) {
      try {
        await step();
        if (failing) this.log.info('alerts: rounds succeed again');
        failing = false;
      } catch (error) {
        // A database outage: the next round tries again; nothing is lost, the rows wait. Said once.
        if (!signal.aborted && !failing) this.log.warn({ err: (error as Error).message }, 'alerts: a round failed');
        failing = true;
      }
      await this.sleep(ms);
    }
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.abort.signal;
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      signal.addEventListener('abort', wake, { once: true });
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
  }
}
