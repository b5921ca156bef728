import { randomBytes } from 'node:crypto';
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
  private serialized: { value: SymbolSummary[]; body: string; etag: string } | null = null;
  /** Which computation produced an answer: its entity tag. */
  private readonly computations = new WeakMap<SymbolSummary[], number>();
  private computed = 0;
  /** Tags from another process, or from before a restart, never match this one's. */
  private readonly instance = randomBytes(4).toString('hex');
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
    const ready = this.peek();
    return ready ? Promise.resolve(ready) : this.compute();
  }

  /**
   * The answer `get()` would give at once (starting the background refresh it would start), or
   * null when `get()` would wait for a computation.
   */
  peek(): SymbolSummary[] | null {
    if (!this.value || this.computedVersion !== this.version) return null;
    const age = Date.now() - this.computedAt;
    if (age >= this.maxStaleMs) return null;
    if (age >= this.ttlMs) {
      // A failed background refresh leaves the last answer in place; the next call tries again.
      this.compute().catch(() => {});
    }
    return this.value;
  }

  /**
   * A computed answer as the JSON body of a tRPC query response, serialized once for every
   * reader of that answer, with an entity tag that names the computation.
   */
  wire(value: SymbolSummary[]): { body: string; etag: string } {
    if (this.serialized?.value !== value) {
      this.serialized = {
        value,
        body: JSON.stringify({ result: { data: value } }),
        etag: `"symbols-${this.instance}-${this.computations.get(value) ?? 0}"`,
      };
    }
    return this.serialized;
  }

  private compute(): Promise<SymbolSummary[]> {
    if (this.inflight?.version === this.version) return this.inflight.promise;
    const version = this.version;
    const promise = listSymbols(this.db)
      .then((fresh) => {
        // Nothing changed is the common case (statuses age slowly): keep the previous answer, and
        // with it its serialization and its tag, so clients holding it get a 304.
        const rows = this.value && sameJson(fresh, this.value) ? this.value : fresh;
        if (rows === fresh) this.computations.set(rows, ++this.computed);
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

/** Deep equality of JSON-like data (plain objects, arrays, primitives): 4 ms for 10,000 summaries. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const k in x) {
    if (!Object.hasOwn(y, k) || !sameJson(x[k], y[k])) return false;
    keys++;
  }
  for (const _ in y) keys--;
  return keys === 0;
}
