export interface RetryOptions {
  /** Attempts in all, the first one included. */
  maxAttempts?: number;
  /** The backoff ceiling of the first retry; it doubles with each retry up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * A Retry-After longer than this is not waited out inside one fetch: the error goes up at once,
   * retryable and carrying `retryAfterMs`, so the job layer can reschedule instead of holding a worker.
   */
  maxRetryAfterMs?: number;
  /** Attempts that may answer with something other than the expected JSON before we call the answer broken. */
  maxMalformedAttempts?: number;
  /** Source of jitter; tests pin it. */
  random?: () => number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export const DEFAULT_RETRY: ResolvedRetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  // A proxy that garbles one answer usually recovers; an API that changed its shape never does.
  maxMalformedAttempts: 3,
  random: Math.random,
};

export function resolveRetryOptions(options: RetryOptions | undefined): ResolvedRetryOptions {
  return { ...DEFAULT_RETRY, ...stripUndefined(options ?? {}) };
}

/**
 * "Full jitter" backoff: a uniform pick in [0, min(cap, base * 2^(retry-1))). Spreading retries
 * over the whole interval keeps many workers that failed together from retrying together.
 */
export function backoffDelay(
  retry: number,
  options: Pick<ResolvedRetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
) {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(options.random() * ceiling);
}

/** Reads Retry-After as delay-seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
