import { TooManyRequestsError } from '@candlebase/contracts';

/**
 * A sliding-window count per client: at most `limit` hits in any `windowMs`. In memory, per
 * process: with several API servers each enforces its own share.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly what: string,
  ) {}

  /** Counts a hit, or throws TooManyRequestsError saying when to come back. */
  hit(client: string, now = Date.now()): void {
    const since = now - this.windowMs;
    const list = (this.hits.get(client) ?? []).filter((t) => t > since);
    if (list.length >= this.limit) {
      const retry = Math.max(1, Math.ceil(((list[0] ?? now) + this.windowMs - now) / 1000));
      this.hits.set(client, list);
      throw new TooManyRequestsError(
        `Too many ${this.what}: at most ${this.limit} per ${Math.round(this.windowMs / 1000)} s; try again in ${retry} s`,
        retry,
      );
    }
    list.push(now);
    this.hits.set(client, list);
    if (this.hits.size > 10_000) this.prune(since);
  }

  private prune(since: number): void {
    for (const [k, v] of this.hits) if (!v.some((t) => t > since)) this.hits.delete(k);
  }
}
