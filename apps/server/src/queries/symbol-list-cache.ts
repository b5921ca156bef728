import { createHash } from 'node:crypto';
import type { SymbolSummary } from '@candlebase/contracts';
import { type Db, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import { sameJson } from './same-json';
import { expectedLastBars, listSymbols, statusOf } from './symbols';

/** More jobs than this changed since the last read: read everything instead. */
const MAX_CHANGED_JOBS = 50;
const FAILURE_MEMORY_MS = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SymbolListCacheOptions {
  /** How long statuses are served as they were last derived. */
  ttlMs?: number;
  /**
   * How old the data behind the answer may get before everything is read again, in the
   * background, while the current answer is still served. Job events and symbol changes, which
   * come with a NOTIFY, do not wait for this; it bounds what changes without one (an edit made
   * straight in the database).
   */
  rereadMs?: number;
  /** Older than this (nobody asked for a while), the caller waits for a fresh read. */
  maxStaleMs?: number;
  /** The clock statuses are derived against; tests move it. */
  now?: () => number;
}

/**
 * `symbols.list` for many readers. One answer serves every caller, concurrent callers share its
 * computation, and a change makes the next call wait for a computation that started after it:
 * - a job event (NOTIFY, from any process) re-reads only the symbols of that job (a few
 *   milliseconds) and merges them in;
 * - a symbol added or removed (NOTIFY too), a LISTEN connection coming back, or many jobs at
 *   once re-read everything (three queries, 10,000 symbols in about 100 ms and a GC).
 * Between reads only the clock moves a status (fresh to stale as bars come due): every `ttlMs`
 * the statuses are derived again from the coverage in hand, in memory, keeping the answer (and
 * its serialization and tag) when none changed. After `rereadMs` everything is read again in the
 * background.
 */
export class SymbolListCache {
  private value: SymbolSummary[] | null = null;
  /** When the read behind `value` started, and when its statuses were last derived. */
  private readAt = 0;
  private agedAt = 0;
  /** Bumped by every change; the answer is current when `computedVersion` has caught up. */
  private version = 0;
  private computedVersion = -1;
  /** The version of the latest change that needs everything read again. */
  private fullVersion = 0;
  /** Jobs with events since the answer, each with the version of its latest event. */
  private readonly changedJobs = new Map<string, number>();
  private inflight: { version: number; promise: Promise<SymbolSummary[]> } | null = null;
  /** The last computation's error, answered again for a moment rather than asking at once. */
  private failure: { at: number; error: unknown } | null = null;
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

  /** Something changed that only reading everything again can tell. */
  invalidate(): void {
    this.fullVersion = ++this.version;
  }

  /** A job made progress: its symbols' coverage, status or error may have changed. */
  jobChanged(jobId: string): void {
    if (!UUID.test(jobId)) {
      this.invalidate();
      return;
    }
    this.changedJobs.set(jobId, ++this.version);
  }

  get(): Promise<SymbolSummary[]> {
    const ready = this.peek();
    if (ready) return Promise.resolve(ready);
    // A failed read is not retried within a second: the plain-GET path falls back to tRPC,
    // which asks again, and a database that is down need not be asked twice per request.
    if (this.failure && this.now() - this.failure.at < FAILURE_MEMORY_MS) return Promise.reject(this.failure.error);
    return this.compute();
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
      const digest = createHash('sha256').update(body).digest('base64url').slice(0, 22);
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
    const previous = this.value;
    // Every job changed up to `version` is read by this computation, whichever kind it is. No
    // job at all: nothing changed, and the answer is due to be read again (or there is none).
    // A stream of job events must not put off the periodic full read either.
    const jobs = [...this.changedJobs.keys()];
    const full =
      !previous ||
      this.fullVersion > this.computedVersion ||
      jobs.length === 0 ||
      jobs.length > MAX_CHANGED_JOBS ||
      startedAt - this.readAt >= this.rereadMs;
    const promise = (full ? this.readAll(startedAt) : this.readJobs(previous, jobs, startedAt))
      .then((read) => {
        // A computation that started later has landed already: its answer is the newer one.
        if (version < this.computedVersion && this.value) return this.value;
        // The rows of a partial read go into the answer as it is now (a full read may have
        // landed meanwhile), and every status is derived at this moment.
        const at = Math.max(this.now(), startedAt);
        const list = 'updates' in read ? withUpdates(this.value ?? previous ?? [], read.updates) : read.list;
        const fresh = agedTo(list, at);
        // Nothing changed is the common case: keep the previous answer, and with it its
        // serialization and its tag.
        this.value = this.value && sameJson(fresh, this.value) ? this.value : fresh;
        if ('list' in read) this.readAt = startedAt;
        this.agedAt = at;
        this.computedVersion = version;
        this.failure = null;
        for (const [job, v] of this.changedJobs) if (v <= version) this.changedJobs.delete(job);
        return this.value;
      })
      .catch((err: unknown) => {
        this.failure = { at: this.now(), error: err };
        throw err;
      })
      .finally(() => {
        if (this.inflight?.promise === promise) this.inflight = null;
      });
    this.inflight = { version, promise };
    return promise;
  }

  private async readAll(now: number): Promise<{ list: SymbolSummary[] }> {
    return { list: await listSymbols(this.db, { now }) };
  }

  /**
   * The symbols of `jobs`, read again. A symbol the list does not hold yet (a job creates the
   * symbols it is given), one no longer there, or a quarter of the list and more means reading
   * everything instead.
   */
  private async readJobs(
    list: SymbolSummary[],
    jobs: string[],
    now: number,
  ): Promise<{ updates: Map<string, SymbolSummary> } | { list: SymbolSummary[] }> {
    const rows = await queryRows<{ symbol: string }>(
      this.db,
      sql`select distinct unnest(symbols) as symbol from backfill_jobs where id = any(${sql.param(jobs)}::uuid[])`,
    );
    const symbols = rows.map((r) => r.symbol);
    if (symbols.length > Math.max(500, list.length / 4)) return this.readAll(now);
    const read = symbols.length > 0 ? await listSymbols(this.db, { symbols, now }) : [];
    const updates = new Map(read.map((s) => [s.symbol, s]));
    const listed = new Set(list.map((s) => s.symbol));
    const added = read.some((s) => !listed.has(s.symbol));
    const gone = symbols.some((s) => listed.has(s) && !updates.has(s));
    return added || gone ? this.readAll(now) : { updates };
  }
}

/** `list` with the rows in `updates` put in place; the same rows (and list) where nothing moved. */
function withUpdates(list: SymbolSummary[], updates: Map<string, SymbolSummary>): SymbolSummary[] {
  let changed = false;
  const next = list.map((s) => {
    const update = updates.get(s.symbol);
    if (!update || sameJson(update, s)) return s;
    changed = true;
    return update;
  });
  return changed ? next : list;
}

/** The list with its statuses derived again at `now` from its own coverage; the same list if none moved. */
function agedTo(list: SymbolSummary[], now: number): SymbolSummary[] {
  const expected = expectedLastBars(now);
  let changed = false;
  const next = list.map((s) => {
    // Backfilling and error come from jobs, whose events invalidate: the clock leaves them be.
    if (s.status === 'backfilling' || s.status === 'error') return s;
    const status = statusOf(s.asset_class, s.coverage, now, expected, s.session);
    if (status === s.status) return s;
    changed = true;
    return { ...s, status };
  });
  return changed ? next : list;
}
