import type { SymbolSummary } from '@candlebase/contracts';
import type { Db } from '@candlebase/db';
import { listSymbols } from './symbols';

export interface SymbolListCacheOptions {
  /** How long one computation answers every caller as it is. */
  ttlMs?: number;
  /**
   * Past `ttlMs` and up to this age, an answer with no change behind it is still served at once
   * while a fresh one is computed in the background: statuses only age with the clock then.
   * Older than this, the caller waits for the fresh one.
   */
  maxStaleMs?: number;
}

/**
 * `symbols.list` for many readers: one computation serves every caller (concurrent callers share
 * it), for `ttlMs` as it is and then, up to `maxStaleMs`, while its successor is computed. A
 * change, a job event arriving by NOTIFY or a symbol added or removed here, is never served
 * stale: the next call waits for a computation that started after it.
 */
export class SymbolListCache {
  private value: SymbolSummary[] | null = null;
  private computedAt = 0;
  private version = 0;
  private computedVersion = -1;
  private inflight: { version: number; promise: Promise<SymbolSummary[]> } | null = null;
  private readonly ttlMs: number;
  private readonly maxStaleMs: number;

  constructor(
    private readonly db: Db,
    options: SymbolListCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 2000;
    this.maxStaleMs = Math.max(this.ttlMs, options.maxStaleMs ?? 30_000);
  }

  invalidate(): void {
    this.version++;
  }

  get(): Promise<SymbolSummary[]> {
    if (this.value && this.computedVersion === this.version) {
      const age = Date.now() - this.computedAt;
      if (age < this.ttlMs) return Promise.resolve(this.value);
      if (age < this.maxStaleMs) {
        // A failed background refresh leaves the last answer in place; the next call tries again.
        this.compute().catch(() => {});
        return Promise.resolve(this.value);
      }
    }
    return this.compute();
  }

  private compute(): Promise<SymbolSummary[]> {
    if (this.inflight?.version === this.version) return this.inflight.promise;
    const version = this.version;
    const promise = listSymbols(this.db)
      .then((rows) => {
        if (version >= this.computedVersion) {
          this.value = rows;
          this.computedAt = Date.now();
          this.computedVersion = version;
        }
        return rows;
      })
      .finally(() => {
        if (this.inflight?.promise === promise) this.inflight = null;
      });
    this.inflight = { version, promise };
    return promise;
  }
}
