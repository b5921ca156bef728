import {
  type BudgetFactory,
  type BudgetSpec,
  bookPause,
  bookReported,
  bookSettled,
  decide,
  emptyState,
  type RequestBudget,
  type Spend,
  usedAt,
} from './budget';
import { abortable, sleep as realSleep } from './sleep';

export interface BudgetClock {
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * A budget counted in this process only: right for tests and for one process on its own. Several
 * processes sharing one key need the shared budget the server builds on the database.
 */
export function createMemoryBudget(spec: BudgetSpec, clock: BudgetClock = {}): RequestBudget {
  if (!Number.isInteger(spec.limit) || spec.limit < 1)
    throw new Error(`A request budget must be a whole number of at least 1, not ${spec.limit}`);
  const now = clock.now ?? Date.now;
  const sleep = clock.sleep ?? realSleep;
  let state = emptyState();
  // Waiters take turns so concurrent fetches on one provider share the budget fairly.
  let queue: Promise<unknown> = Promise.resolve();

  async function waitForTurn(cost: number, signal?: AbortSignal): Promise<Spend> {
    for (;;) {
      signal?.throwIfAborted();
      const takenAt = now();
      const decision = decide(spec, state, takenAt, cost);
      state = decision.state;
      if (decision.ok) {
        let settled = false;
        return {
          async settle() {
            if (settled) return;
            settled = true;
            state = bookSettled(spec, state, now(), takenAt, cost);
          },
        };
      }
      await sleep(decision.waitMs, signal);
    }
  }

  return {
    spec,
    take(cost, signal) {
      const turn = queue.then(() => waitForTurn(cost, signal));
      // A waiter that aborted must not hold up the ones queued behind it.
      queue = turn.catch(() => undefined);
      // The caller's abort ends its wait now, even while earlier waiters still hold the queue.
      return abortable(turn, signal);
    },
    async pause(ms) {
      const t = now();
      state = bookPause(spec, state, t, t + ms);
    },
    async reportUsed(used) {
      state = bookReported(spec, state, now(), used);
    },
    async usage() {
      const t = now();
      return {
        provider: spec.provider,
        unit: spec.unit,
        limit: spec.limit,
        windowMs: spec.windowMs,
        used: usedAt(spec, state, t),
        pausedUntil: state.pausedUntil !== null && state.pausedUntil > t ? state.pausedUntil : null,
        shared: false,
      };
    },
  };
}

/** The default factory: each provider client counts its own budget in memory. */
export const memoryBudgets: BudgetFactory = (spec) => createMemoryBudget(spec);
