import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { calendarFor } from '@candlebase/calendar';
import type { Database } from '@candlebase/db';
import { type MarketDataProvider, ProviderError } from '@candlebase/providers';
import type { Logger } from 'pino';
import { type ProviderRegistry, unavailable } from '../providers/registry';
import { type ClaimedUnit, claimUnit, renewLease } from './claim';
import { closedBars, type SettlePolicy } from './closed-bars';
import type { NotificationHub } from './events';
import { reapStaleClaims } from './reap-stale';
import { recordActions } from './record-actions';
import {
  CancelledError,
  cleanPage,
  describeError,
  LeaseLostError,
  noteUnit,
  type Outcome,
  releaseUnit,
  settleUnit,
  writePage,
} from './run-unit';
import { keepSessionBars, seriesHours } from './session-filter';
import { narrowToMissing } from './skip-covered';
import { type TxTimeouts, timeoutsForLease } from './tx-timeouts';

export interface WorkerOptions {
  concurrency: number;
  leaseSeconds: number;
  /** How often to look for work when no NOTIFY arrives. */
  pollMs?: number;
  /** First retry delay of a unit; doubled each attempt, with jitter, capped at 60 s. */
  retryBaseMs?: number;
  id?: string;
  /** Told what each request to a provider showed: it answered, or could not be reached (network, 5xx). */
  onProviderAnswer?: (provider: string, ok: boolean, error: string | null) => void;
  /** The clock that decides which bars have closed, stamps `fetched_at`, and leaves actions with later ex-dates unstored; tests pin it. */
  clock?: () => number;
}

/**
 * Claims units and runs them, `concurrency` at a time. Wakes on NOTIFY and also polls, so a lost
 * notification only delays; renews each claim's lease while it runs.
 */
export class BackfillWorker {
  readonly id: string;
  private readonly active = new Map<number, { controller: AbortController; unit: ClaimedUnit; done: Promise<void> }>();
  private readonly stopController = new AbortController();
  private loopDone: Promise<void> | null = null;
  private releasing = false;
  private reaper: NodeJS.Timeout | null = null;
  /** Limits on each of this worker's transactions (Postgres: a frozen worker must let go). */
  private readonly timeouts: TxTimeouts | null;

  constructor(
    private readonly database: Database,
    private readonly providers: ProviderRegistry,
    private readonly hub: NotificationHub,
    private readonly log: Logger,
    private readonly options: WorkerOptions,
  ) {
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    // PGlite lives in this process: when it is frozen, so is everything that could wait on it.
    this.timeouts = database.engine === 'postgres' ? timeoutsForLease(options.leaseSeconds) : null;
  }

  get running(): number {
    return this.active.size;
  }

  start(): void {
    if (!this.loopDone) this.loopDone = this.loop();
    if (this.timeouts && !this.reaper) {
      this.reaper = setInterval(() => void this.reap(), Math.max(1000, (this.options.leaseSeconds * 1000) / 3));
      this.reaper.unref();
    }
  }

  /** Ends transactions of claims taken over since (a frozen worker's): see reap-stale.ts. */
  private async reap(): Promise<void> {
    try {
      for (const stale of await reapStaleClaims(this.database.db)) {
        this.log.warn(
          stale,
          `ended the open transaction of unit ${stale.unit} attempt ${stale.attempt}: another worker has taken it over and its own worker stopped answering`,
        );
      }
    } catch (err) {
      this.log.warn({ err: describeError(err).message }, 'looking for stale claims failed');
    }
  }

  /** Stops claiming, stops running units at their next page and hands them back. */
  async stop(): Promise<void> {
    this.stopController.abort();
    if (this.reaper) clearInterval(this.reaper);
    this.releasing = true;
    for (const { controller } of this.active.values()) controller.abort(new Error('worker stopping'));
    await Promise.allSettled([this.loopDone, ...[...this.active.values()].map((a) => a.done)]);
  }

  private async loop(): Promise<void> {
    const stop = this.stopController.signal;
    const { waker, close } = this.hub.onWork();
    try {
      while (!stop.aborted) {
        while (this.active.size < this.options.concurrency && !stop.aborted) {
          const unit = await claimUnit(this.database.db, this.id, this.options.leaseSeconds, this.timeouts).catch(
            (err: unknown) => {
              this.log.warn({ err: describeError(err).message }, 'claiming a unit failed; will try again');
              return null;
            },
          );
          if (!unit) break;
          this.spawn(unit, waker.notify.bind(waker));
        }
        await waker.wait(this.options.pollMs ?? 1000, stop);
      }
    } finally {
      close();
    }
  }

  private spawn(unit: ClaimedUnit, onDone: () => void): void {
    const controller = new AbortController();
    const done = this.run(unit, controller)
      .catch((err: unknown) => this.log.error({ err: describeError(err).message, unit: unit.id }, 'unit run crashed'))
      .finally(() => {
        // After a lost lease this worker may have claimed the unit again: keep the newer run's entry.
        if (this.active.get(unit.id)?.unit === unit) this.active.delete(unit.id);
        onDone();
      });
    this.active.set(unit.id, { controller, unit, done });
  }

  private async run(unit: ClaimedUnit, controller: AbortController): Promise<void> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    if (unit.cancelRequested) {
      await settleUnit(this.database.db, unit, { status: 'cancelled' }, 0, this.timeouts);
      return;
    }
    if (unit.attempt > unit.attemptLimit) {
      await settleUnit(
        this.database.db,
        unit,
        { status: 'failed', message: `Gave up after ${unit.attempt - 1} attempts` },
        0,
        this.timeouts,
      );
      return;
    }
    let cancelRequested = false;
    const renewEvery = Math.max(500, (this.options.leaseSeconds * 1000) / 3);
    const renewer = setInterval(() => {
      renewLease(this.database.db, unit, this.options.leaseSeconds)
        .then((r) => {
          if (!r.owned) controller.abort(new LeaseLostError('lease lost'));
          else if (r.cancelRequested) {
            cancelRequested = true;
            controller.abort(new CancelledError('cancelled'));
          }
        })
        .catch((err: unknown) => this.log.warn({ err: describeError(err).message }, 'lease renewal failed'));
    }, renewEvery);
    let outcome: Outcome | null;
    try {
      outcome = await this.fetchAndWrite(unit, controller.signal, () => cancelRequested);
    } catch (err) {
      outcome = this.outcomeOf(err, unit, controller.signal);
    } finally {
      clearInterval(renewer);
    }
    // The claim is someone else's now: they settle it.
    if (outcome === null) {
      this.leaseLost(unit);
      return;
    }
    if (this.releasing && outcome.status === 'cancelled' && !cancelRequested) {
      await releaseUnit(this.database.db, unit).catch(() => {});
      return;
    }
    const settled = await settleUnit(this.database.db, unit, outcome, seconds(), this.timeouts).catch(
      (err: unknown) => {
        // The database is away: the lease expires and another claim settles it.
        this.log.warn({ err: describeError(err).message, unit: unit.id }, 'settling a unit failed');
        return null;
      },
    );
    if (settled === false) this.leaseLost(unit);
  }

  /** Said once per lost claim: an operator should see that a unit changed hands, and why. */
  private leaseLost(unit: ClaimedUnit): void {
    this.log.warn(
      { unit: unit.id, attempt: unit.attempt, job: unit.jobId },
      `worker ${this.id} lost its lease on ${unit.symbol} ${unit.timeframe} (attempt ${unit.attempt}): it was not renewed in time and another claim has it; this run's result is dropped`,
    );
  }

  private async fetchAndWrite(unit: ClaimedUnit, signal: AbortSignal, cancelled: () => boolean): Promise<Outcome> {
    const clock = this.options.clock ?? Date.now;
    const provider = this.providerOf(unit);
    await recordActions(this.database.db, provider, unit, signal, clock(), this.timeouts);
    const ranges = await narrowToMissing(this.database.db, unit);
    const notices: string[] = [];
    let unsaid = 0;
    // The provider's notices arrive inside its iteration; they are written between pages.
    const sayNotices = async () => {
      for (; unsaid < notices.length; unsaid++) {
        const notice = notices[unsaid];
        if (notice !== undefined && !(await noteUnit(this.database.db, unit, notice, this.timeouts)))
          throw new LeaseLostError('lease lost');
      }
    };
    const hours = ranges.length > 0 ? await seriesHours(this.database.db, unit.symbol) : undefined;
    const settle: SettlePolicy = {
      calendar: hours?.calendar ?? calendarFor(unit.assetClass),
      timeframe: unit.timeframe,
      settleMs: provider.settleMs ?? 0,
    };
    for (const range of ranges) {
      const pages = provider.fetchCandles({
        symbol: unit.symbol,
        timeframe: unit.timeframe,
        from: new Date(range.from),
        to: new Date(range.to),
        signal,
        session: hours?.session,
        onRetry: (info) =>
          this.log.info({ unit: unit.id, ...info }, `provider retry for ${unit.symbol} ${unit.timeframe}`),
        onNotice: (message) => {
          if (!notices.includes(message)) notices.push(message);
        },
      });
      for await (const raw of pages) {
        this.options.onProviderAnswer?.(provider.name, true, null);
        await sayNotices();
        if (cancelled()) return { status: 'cancelled' };
        signal.throwIfAborted();
        const now = clock();
        const clean = cleanPage(raw, unit.symbol, unit.timeframe);
        const inSession = hours ? keepSessionBars(clean, hours.calendar, unit.timeframe) : clean;
        // Bars still forming or settling are left for a later run: stored now, they would be frozen half-made.
        const page = closedBars(inSession, settle, now);
        if (page.length === 0) continue;
        const result = await writePage(this.database.db, unit, provider.name, page, now, clean.length, this.timeouts);
        // PGlite runs in this thread and resolves without a macrotask: give HTTP a turn per page.
        await new Promise((resolve) => setImmediate(resolve));
        if (result.cancelRequested) return { status: 'cancelled' };
      }
      await sayNotices();
    }
    return notices.length > 0 ? { status: 'completed', notices } : { status: 'completed' };
  }

  /** The unit's provider; one this server lacks (set up elsewhere, or since removed) fails the unit in words. */
  private providerOf(unit: ClaimedUnit): MarketDataProvider {
    const provider = this.providers.get(unit.provider);
    if (provider) return provider;
    throw new ProviderError(
      `${unit.symbol}: ${unavailable(unit.provider, this.providers.names())}. Change its provider or configure this one`,
      { retryable: false },
    );
  }

  private outcomeOf(err: unknown, unit: ClaimedUnit, signal: AbortSignal): Outcome | null {
    const reason: unknown = signal.aborted ? signal.reason : err;
    if (reason instanceof CancelledError) return { status: 'cancelled' };
    if (reason instanceof LeaseLostError || err instanceof LeaseLostError) return null;
    if (signal.aborted && this.releasing) return { status: 'cancelled' };
    const { message, retryable, retryAfterMs } = describeError(err);
    // A 4xx (an unknown symbol) is an answer; a network error or a 5xx says the provider is out of reach.
    const status = err instanceof ProviderError ? err.status : undefined;
    if (err instanceof ProviderError && this.providers.get(unit.provider)) {
      const unreachable = retryable && (status === undefined || status >= 500);
      this.options.onProviderAnswer?.(unit.provider, !unreachable, unreachable ? message : null);
    }
    if (!retryable || unit.attempt >= unit.attemptLimit) {
      return { status: 'failed', message: retryable ? `${message} (gave up after ${unit.attempt} attempts)` : message };
    }
    const base = this.options.retryBaseMs ?? 1000;
    const backoff = Math.min(60_000, base * 2 ** (unit.attempt - 1));
    const delayMs = Math.max(retryAfterMs ?? 0, Math.round(backoff / 2 + Math.random() * (backoff / 2)));
    return { status: 'retry', message, delayMs };
  }
}
