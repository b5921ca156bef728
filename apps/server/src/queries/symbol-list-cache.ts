import type { SymbolSummary } from '@candlebase/contracts';
import type { Db } from '@candlebase/db';
import { listSymbols } from './symbols';

/**
 * `symbols.list` for many readers: one computation serves every caller for up to `ttlMs`
 * (statuses age with the clock), and any change, a job event arriving by NOTIFY or a symbol
 * added or removed here, makes the next call compute afresh. Concurrent callers share one
 * computation.
 */
export class SymbolListCache {
  private value: SymbolSummary[] | null = null;
  private computedAt = 0;
  private version = 0;
  private computedVersion = -1;
  private inflight: { version: number; promise: Promise<SymbolSummary[]> } | null = null;

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 2000,
  ) {}

  invalidate(): void {
    this.version++;
  }

  get(): Promise<SymbolSummary[]> {
    if (this.value && this.computedVersion === this.version && Date.now() - this.computedAt < this.ttlMs) {
      return Promise.resolve(this.value);
    }
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
