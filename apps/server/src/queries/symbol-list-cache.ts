import { createHash } from 'node:crypto';
import type { SymbolSummary } from '@candlebase/contracts';
import type { Db } from '@candlebase/db';
import { expectedLastBars, listSymbols, statusOf } from './symbols';

export interface SymbolListCacheOptions {
  /** How long statuses are served as they were last derived. */
  ttlMs?: number;
  /**
   * How old the data behind the answer may get before it is read again, in the background,
   * while the current answer is still served. Job events and symbol changes here do not wait
   * for this: they make the next call read at once. It bounds what only another API process
   * changes (a symbol added there).
   */
  rereadMs?: number;
  /** Older than this (nobody asked for a while), the caller waits for a fresh read. */
  maxStaleMs?: number;
  /** The clock statuses are derived against; tests move it. */
  now?: () => number;
}

/**
 * `symbols.list` for many readers. One read (three queries, 10,000 symbols in about 100 ms and
 * a garbage collection) serves every caller, concurrent callers share it, and a change (a job
 * event arriving by NOTIFY, a symbol added or removed here) makes the next call wait for a read
 * that started after it. Between reads, only the clock moves a status (fresh to stale as bars
 * come due): every `ttlMs` the statuses are derived again from the coverage in hand, in
 * memory, a few milliseconds, keeping the answer (and its serialization and tag) when none
 * changed. After `rereadMs` the data is read again in the background.
 */
export class SymbolListCache {
  private value: SymbolSummary[] | null = null;
  /** When the read behind `value` started, and when its statuses were last derived. */
  private readAt = 0;
  private agedAt = 0;
  private version = 0;
  private computedVersion = -1;
  private inflight: { version: number; promise: Promise<SymbolSummary[]> } | null = null;
  private serialized: { value: SymbolSummary[]; body: string; etag: string } | null = null;
  private readonly ttlMs: number;
  private readonly rereadMs: number;
  private readonly maxStaleMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    options: SymbolListCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 2000;
    this.maxStaleMs = Math.max(this.ttlMs, options.maxStaleMs ?? 120_000);
    this.rereadMs = Math.min(this.maxStaleMs, Math.max(this.ttlMs, options.rereadMs ?? 30_000));
    this.now = options.now ?? Date.now;
  }

  invalidate(): void {
    this.version++;
  }

  get(): Promise<SymbolSummary[]> {
    const ready = this.peek();
    return ready ? Promise.resolve(ready) : this.compute();
  }

  /**
   * The answer `get()` would give at once (after the in-memory status update or the background
   * read it would start), or null when `get()` would wait for a read.
   */
  peek(): SymbolSummary[] | null {
    if (!this.value || this.computedVersion !== this.version) return null;
    const now = this.now();
    if (now - this.readAt >= this.maxStaleMs) return null;
    if (now - this.readAt >= this.rereadMs) {
      // A failed background read leaves the last answer in place; the next call tries again.
      this.compute().catch(() => {});
    }
    if (now - this.agedAt >= this.ttlMs) this.age(now);
    return this.value;
  }

  /**
   * A computed answer as the JSON body of a tRPC query response, serialized once for every
   * reader of that answer, with an entity tag from its content: the same list has the same tag
   * in every API process and after a restart, so a browser behind a load balancer still gets
   * its 304s.
   */
  wire(value: SymbolSummary[]): { body: string; etag: string } {
    if (this.serialized?.value !== value) {
      const body = JSON.stringify({ result: { data: value } });
      const digest = createHash('sha1').update(body).digest('base64url').slice(0, 22);
      this.serialized = { value, body, etag: `"symbols-${digest}"` };
    }
    return this.serialized;
  }

  private age(now: number): void {
    if (!this.value) return;
    this.agedAt = now;
    this.value = agedTo(this.value, now);
  }

  private compute(): Promise<SymbolSummary[]> {
    if (this.inflight?.version === this.version) return this.inflight.promise;
    const version = this.version;
    const startedAt = this.now();
    const promise = listSymbols(this.db, { now: startedAt })
      .then((read) => {
        // Statuses aged in memory while this read ran are newer than the read's own.
        const agedAt = Math.max(startedAt, this.agedAt);
        const fresh = agedAt > startedAt ? agedTo(read, agedAt) : read;
        // Nothing changed is the common case: keep the previous answer, and with it its
        // serialization and its tag.
        const rows = this.value && sameJson(fresh, this.value) ? this.value : fresh;
        if (version >= this.computedVersion) {
          this.value = rows;
          this.readAt = startedAt;
          this.agedAt = agedAt;
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

/** The list with its statuses derived again at `now` from its own coverage; the same list if none moved. */
function agedTo(list: SymbolSummary[], now: number): SymbolSummary[] {
  const expected = expectedLastBars(now);
  let changed = false;
  const next = list.map((s) => {
    // Backfilling and error come from jobs, whose events invalidate: the clock leaves them be.
    if (s.status === 'backfilling' || s.status === 'error') return s;
    const status = statusOf(s.asset_class, s.coverage, now, expected);
    if (status === s.status) return s;
    changed = true;
    return { ...s, status };
  });
  return changed ? next : list;
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
