import { calendarFor } from '@candlebase/calendar';
import { timeframeMs } from '@candlebase/contracts';
import { backoffDelay, type MarketDataProvider, type ProviderCandle, ProviderError } from '@candlebase/providers';
import { unavailable } from '../providers/registry';
import { withQuotaWaits } from '../quota/quota-wait';
import { barsPassed } from './bar-progress';
import { type ClaimedUnit, renewLease } from './claim';
import { closedBars, type SettlePolicy } from './closed-bars';
import type { EngineDeps } from './engine-deps';
import { unitQuotaWaits } from './quota-waits';
import { recordActions } from './record-actions';
import { cleanPage, describeError, LeaseLostError, noteUnit, type Outcome, writePage } from './run-unit';
import { keepSessionBars, seriesHours } from './session-filter';
import { narrowToMissing } from './skip-covered';
import type { TxTimeouts } from './tx-timeouts';

/** The longest a unit waits before its next claim, whatever its attempt (a provider's Retry-After aside). */
const UNIT_RETRY_MAX_DELAY_MS = 60_000;

/** Why a run stopped before its work was done; the first reason given is the one that counts. */
export type StopReason = 'cancelled' | 'released' | 'yielded' | 'lease_lost';

/**
 * How a claim ended. The settled ones (`Outcome`: completed, failed, retry later, cancelled, which
 * means the job was cancelled) are written on the unit; `released` (this worker is shutting down)
 * hands the claim back untouched, as `yielded` does (a history unit giving its slot to a waiting
 * scheduled refresh after a page); `lease_lost` (another claim has the unit) writes nothing more.
 */
export type RunOutcome = Outcome | { status: 'released' } | { status: 'yielded' } | { status: 'lease_lost' };

export interface UnitRunSettings {
  leaseSeconds: number;
  /** First retry delay of a unit; doubled each attempt, with jitter, capped at 60 s. */
  retryBaseMs: number;
  timeouts: TxTimeouts | null;
  onProviderAnswer?: ((provider: string, ok: boolean, error: string | null) => void) | undefined;
  /** Asked after each written page: whether to hand the slot back now (see the worker's `shouldYield`). */
  shouldYield?: (() => Promise<boolean>) | undefined;
}

/** The abort reason of a stopped run, so a provider's fetch in flight ends with it. */
class RunStopped extends Error {
  override name = 'RunStopped';
  constructor(readonly reason: StopReason) {
    super(`unit run stopped: ${reason}`);
  }
}

/**
 * One claim of one unit, from the claim to its outcome. It owns the claim's abort signal and its
 * lease renewal. Whatever learns that the run must stop (the claim or a page write seeing the
 * job's cancel, a renewal finding the claim gone, the worker shutting down) calls `stop`; the run
 * checks that one signal at each page boundary and returns the reason as its outcome.
 */
export class UnitRun {
  private readonly controller = new AbortController();
  private stopped: StopReason | null = null;
  private startedAt: number | null = null;

  constructor(
    private readonly deps: Pick<EngineDeps, 'database' | 'clock' | 'providers' | 'log'>,
    readonly unit: ClaimedUnit,
    private readonly settings: UnitRunSettings,
  ) {
    // A claim of a cancelled job's unit only settles it.
    if (unit.cancelRequested) this.stop('cancelled');
  }

  stop(reason: StopReason): void {
    if (this.stopped) return;
    this.stopped = reason;
    this.controller.abort(new RunStopped(reason));
  }

  /** Seconds spent fetching and writing; 0 for a claim settled without fetching. */
  get seconds(): number {
    return this.startedAt === null ? 0 : (performance.now() - this.startedAt) / 1000;
  }

  async execute(): Promise<RunOutcome> {
    const { unit } = this;
    if (this.stopped) return { status: this.stopped };
    if (unit.attempt > unit.attemptLimit) {
      return { status: 'failed', message: `Gave up after ${unit.attempt - 1} attempts` };
    }
    this.startedAt = performance.now();
    const renewEvery = Math.max(500, (this.settings.leaseSeconds * 1000) / 3);
    const renewer = setInterval(() => void this.renew(), renewEvery);
    let outcome: RunOutcome;
    try {
      // While a shared quota makes a request wait, the unit says so (recent jobs show it).
      outcome = await withQuotaWaits(unitQuotaWaits(this.deps.database.db, this.unit, this.deps.log), () =>
        this.fetchAndWrite(),
      );
    } catch (err) {
      if (err instanceof LeaseLostError) this.stop('lease_lost');
      outcome = this.stopped ? { status: this.stopped } : this.failure(err);
    } finally {
      clearInterval(renewer);
    }
    // A cancel seen on the last page still ends the unit cancelled, as its job ends.
    return this.stopped === 'cancelled' ? { status: 'cancelled' } : outcome;
  }

  private async renew(): Promise<void> {
    try {
      const r = await renewLease(this.deps.database.db, this.unit, this.settings.leaseSeconds);
      if (!r.owned) this.stop('lease_lost');
      else if (r.cancelRequested) this.stop('cancelled');
    } catch (err) {
      this.deps.log.warn({ err: describeError(err).message }, 'lease renewal failed');
    }
  }

  private async fetchAndWrite(): Promise<Outcome> {
    const { unit, settings } = this;
    const { db } = this.deps.database;
    const signal = this.controller.signal;
    const provider = this.providerOf();
    await recordActions(db, provider, unit, signal, this.deps.clock(), settings.timeouts);
    const ranges = await narrowToMissing(db, unit);
    const notices: string[] = [];
    let unsaid = 0;
    // The provider's notices arrive inside its iteration; they are written between pages.
    const sayNotices = async () => {
      for (; unsaid < notices.length; unsaid++) {
        const notice = notices[unsaid];
        if (notice !== undefined && !(await noteUnit(db, unit, notice, settings.timeouts)))
          throw new LeaseLostError('lease lost');
      }
    };
    const hours = ranges.length > 0 ? await seriesHours(db, unit.symbol) : undefined;
    const settle: SettlePolicy = {
      calendar: hours?.calendar ?? calendarFor(unit.assetClass),
      timeframe: unit.timeframe,
      settleMs: provider.settleMs ?? 0,
    };
    const span = { from: unit.rangeStart, to: unit.rangeEnd };
    for (const range of ranges) {
      const pages = provider.fetchCandles({
        symbol: unit.symbol,
        timeframe: unit.timeframe,
        from: new Date(range.from),
        to: new Date(range.to),
        signal,
        session: hours?.session,
        onRetry: (info) =>
          this.deps.log.info({ unit: unit.id, ...info }, `provider retry for ${unit.symbol} ${unit.timeframe}`),
        onNotice: (message) => {
          if (!notices.includes(message)) notices.push(message);
        },
      });
      for await (const raw of pages) {
        settings.onProviderAnswer?.(provider.name, true, null);
        await sayNotices();
        // The one check of a page boundary: cancelled, released or taken over, the run ends here.
        signal.throwIfAborted();
        const now = this.deps.clock();
        const clean = cleanPage(raw, unit.symbol, unit.timeframe);
        const inSession = hours ? keepSessionBars(clean, hours.calendar, unit.timeframe) : clean;
        // Bars still forming or settling are left for a later run: stored now, they would be frozen half-made.
        const page = closedBars(inSession, settle, now);
        if (page.length === 0) continue;
        const last = page[page.length - 1] as ProviderCandle;
        const barsDone = barsPassed(settle, span, last.ts + timeframeMs(unit.timeframe));
        const result = await writePage(db, unit, provider.name, page, {
          fetchedAt: now,
          fetched: clean.length,
          timeouts: settings.timeouts,
          barsDone,
        });
        // PGlite runs in this thread and resolves without a macrotask: give HTTP a turn per page.
        await new Promise((resolve) => setImmediate(resolve));
        if (result.cancelRequested) this.stop('cancelled');
        else if (await settings.shouldYield?.()) this.stop('yielded');
        signal.throwIfAborted();
      }
      await sayNotices();
    }
    return notices.length > 0 ? { status: 'completed', notices } : { status: 'completed' };
  }

  /** The unit's provider; one this server lacks (set up elsewhere, or since removed) fails the unit in words. */
  private providerOf(): MarketDataProvider {
    const { unit } = this;
    const provider = this.deps.providers.get(unit.provider);
    if (provider) return provider;
    throw new ProviderError(
      `${unit.symbol}: ${unavailable(unit.provider, this.deps.providers.names())}. Change its provider or configure this one`,
      { retryable: false },
    );
  }

  /** An error the run did not ask for: the unit fails, or goes back to pending with a delay. */
  private failure(err: unknown): Outcome {
    const { unit } = this;
    const { message, retryable, retryAfterMs } = describeError(err);
    // A 4xx (an unknown symbol) is an answer; a network error or a 5xx says the provider is out of reach.
    const status = err instanceof ProviderError ? err.status : undefined;
    if (err instanceof ProviderError && this.deps.providers.get(unit.provider)) {
      const unreachable = retryable && (status === undefined || status >= 500);
      this.settings.onProviderAnswer?.(unit.provider, !unreachable, unreachable ? message : null);
    }
    if (!retryable || unit.attempt >= unit.attemptLimit) {
      return { status: 'failed', message: retryable ? `${message} (gave up after ${unit.attempt} attempts)` : message };
    }
    // The providers' backoff policy, one level up: a unit's retries spread the same way a fetch's do.
    const backoff = backoffDelay(unit.attempt, {
      baseDelayMs: this.settings.retryBaseMs,
      maxDelayMs: UNIT_RETRY_MAX_DELAY_MS,
      random: Math.random,
    });
    return { status: 'retry', message, delayMs: Math.max(retryAfterMs ?? 0, backoff) };
  }
}
