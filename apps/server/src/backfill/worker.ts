import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isConnectionLoss } from '@candlebase/db';
import { type ClaimedUnit, ClaimTurns, claimUnit, HISTORY_PRIORITY, refreshWaiting } from './claim';
import type { EngineDeps } from './engine-deps';
import { FreshStatistics } from './fresh-statistics';
import { reapStaleClaims } from './reap-stale';
import { describeError, releaseUnit, settleUnit } from './run-unit';
import { type TxTimeouts, timeoutsForLease } from './tx-timeouts';
import { type RunOutcome, UnitRun } from './unit-run';

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
  /** Every this many claims, one prefers history over scheduled refreshes (see `ClaimTurns`); 4 unless said. */
  historyTurnEvery?: number;
}

/**
 * Claims units and runs each claim as a `UnitRun`, `concurrency` at a time, then acts on the
 * run's outcome. Wakes on NOTIFY and also polls, so a lost notification only delays.
 */
export class BackfillWorker {
  readonly id: string;
  private readonly active = new Map<number, { run: UnitRun; done: Promise<void> }>();
  private readonly stopController = new AbortController();
  private loopDone: Promise<void> | null = null;
  private reaper: NodeJS.Timeout | null = null;
  /** Limits on each of this worker's transactions (Postgres: a frozen worker must let go). */
  private readonly timeouts: TxTimeouts | null;
  /** Analyses the candle tables once a bulk load has changed enough of them. */
  readonly statistics: FreshStatistics;
  private readonly turns: ClaimTurns;

  constructor(
    private readonly deps: EngineDeps,
    private readonly options: WorkerOptions,
  ) {
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    // PGlite lives in this process: when it is frozen, so is everything that could wait on it.
    this.timeouts = deps.database.engine === 'postgres' ? timeoutsForLease(options.leaseSeconds) : null;
    this.statistics = new FreshStatistics(deps.database, deps.log);
    this.turns = new ClaimTurns(options.historyTurnEvery);
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
      for (const stale of await reapStaleClaims(this.deps.database.db)) {
        this.deps.log.warn(
          stale,
          `ended the open transaction of unit ${stale.unit} attempt ${stale.attempt}: its lease ran out or another worker has taken it over, and its own worker stopped answering`,
        );
      }
    } catch (err) {
      this.deps.log.warn({ err: describeError(err).message }, 'looking for stale claims failed');
    }
  }

  /** Stops claiming, stops running units at their next page and hands them back. */
  async stop(): Promise<void> {
    this.stopController.abort();
    if (this.reaper) clearInterval(this.reaper);
    for (const { run } of this.active.values()) run.stop('released');
    await Promise.allSettled([this.loopDone, ...[...this.active.values()].map((a) => a.done)]);
    await this.statistics.idle();
  }

  private async loop(): Promise<void> {
    const stop = this.stopController.signal;
    const { waker, close } = this.deps.notifier.onWork();
    try {
      while (!stop.aborted) {
        while (this.active.size < this.options.concurrency && !stop.aborted) {
          const unit = await claimUnit(
            this.deps.database.db,
            this.id,
            this.options.leaseSeconds,
            this.timeouts,
            this.turns.next(),
          ).catch((err: unknown) => {
            this.deps.log.warn({ err: describeError(err).message }, 'claiming a unit failed; will try again');
            return null;
          });
          if (!unit) break;
          this.turns.claimed();
          this.spawn(unit, waker.notify.bind(waker));
        }
        await waker.wait(this.options.pollMs ?? 1000, stop);
      }
    } finally {
      close();
    }
  }

  private spawn(unit: ClaimedUnit, onDone: () => void): void {
    const run = new UnitRun(this.deps, unit, {
      leaseSeconds: this.options.leaseSeconds,
      retryBaseMs: this.options.retryBaseMs ?? 1000,
      timeouts: this.timeouts,
      onProviderAnswer: this.options.onProviderAnswer,
      shouldYield: () => this.shouldYield(unit),
    });
    const done = run
      .execute()
      .then((outcome) => this.conclude(run, outcome))
      .catch((err: unknown) =>
        this.deps.log.error({ err: describeError(err).message, unit: unit.id }, 'unit run crashed'),
      )
      .finally(() => {
        // After a lost lease this worker may have claimed the unit again: keep the newer run's entry.
        if (this.active.get(unit.id)?.run === run) this.active.delete(unit.id);
        onDone();
      });
    this.active.set(unit.id, { run, done });
  }

  /**
   * A history unit hands its slot to a waiting refresh at a page boundary, when every slot is busy:
   * a long unit (a year of 5m bars is dozens of requests at 5 a minute) would otherwise hold the
   * refresh for as long as it runs. Asked only after a page is written (which resets the unit's
   * count of claims that stored nothing), so yields never bring it closer to failing.
   */
  private async shouldYield(unit: ClaimedUnit): Promise<boolean> {
    if (unit.priority !== HISTORY_PRIORITY || this.active.size < this.options.concurrency) return false;
    return refreshWaiting(this.deps.database.db).catch(() => false);
  }

  /** Acts on a run's outcome: each one has one meaning and one action. */
  private async conclude(run: UnitRun, outcome: RunOutcome): Promise<void> {
    const { unit } = run;
    const { db } = this.deps.database;
    if (outcome.status === 'lease_lost') return this.leaseLost(unit);
    if (outcome.status === 'released' || outcome.status === 'yielded') {
      // Failing to hand it back only delays it: the lease runs out and another worker claims it.
      await releaseUnit(db, unit).catch(() => {});
      if (outcome.status === 'yielded') {
        this.deps.log.info(
          { unit: unit.id },
          `${unit.symbol} ${unit.timeframe} handed its slot to a scheduled refresh`,
        );
      }
      return;
    }
    const settle = () => settleUnit(db, unit, outcome, run.seconds, this.timeouts);
    const settled = await settle()
      // Its connection was ended under it (a takeover ends a frozen claim's backend, a restart all
      // of them): once more on a fresh one, which settles it or finds the claim gone.
      .catch((err: unknown) => (isConnectionLoss(err) ? settle() : Promise.reject(err)))
      .catch((err: unknown) => {
        // The database is away: the lease expires and another claim settles it.
        this.deps.log.warn({ err: describeError(err).message, unit: unit.id }, 'settling a unit failed');
        return null;
      });
    if (settled === false) this.leaseLost(unit);
    else if (settled) this.statistics.afterUnit();
  }

  /** Said once per lost claim: an operator should see that a unit changed hands, and why. */
  private leaseLost(unit: ClaimedUnit): void {
    this.deps.log.warn(
      { unit: unit.id, attempt: unit.attempt, job: unit.jobId },
      `worker ${this.id} lost its lease on ${unit.symbol} ${unit.timeframe} (attempt ${unit.attempt}): it was not renewed in time and another claim has it; this run's result is dropped`,
    );
  }
}
