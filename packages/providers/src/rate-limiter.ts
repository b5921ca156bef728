import { abortable, sleep as realSleep } from './sleep';

/** Something a request waits on before it goes out; it may also read each response's headers. */
export interface Throttle {
  acquire(signal?: AbortSignal): Promise<void>;
  observe?(headers: Headers): void;
}

export interface RateLimiterOptions {
  /** Requests allowed in any window of `windowMs`. */
  limit: number;
  windowMs: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * A sliding-window log: a request goes out only when fewer than `limit` went out in the last
 * `windowMs`. Unlike a token bucket, which allows a full burst plus the refill inside one
 * window, this never exceeds the quota in any window a provider may measure.
 */
export function createRateLimiter(options: RateLimiterOptions): Throttle {
  const { limit, windowMs } = options;
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`Rate limit must be a whole number of at least 1, not ${limit}`);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const sent: number[] = [];
  // Waiters take turns so concurrent fetches on one provider share the quota fairly.
  let queue: Promise<void> = Promise.resolve();

  async function waitForSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const t = now();
      while (sent.length > 0 && (sent[0] ?? t) <= t - windowMs) sent.shift();
      const oldest = sent[0];
      if (sent.length < limit || oldest === undefined) {
        sent.push(t);
        return;
      }
      await sleep(oldest + windowMs - t, signal);
    }
  }

  return {
    acquire(signal) {
      const turn = queue.then(() => waitForSlot(signal));
      // A waiter that aborted must not hold up the ones queued behind it.
      queue = turn.catch(() => undefined);
      // The caller's abort ends its wait now, even while earlier waiters still hold the queue.
      return abortable(turn, signal);
    },
  };
}
