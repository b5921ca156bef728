import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  applySymbolChange,
  encodeSymbolList,
  type SymbolListSnapshot,
  type SymbolStatus,
  type SymbolSummary,
} from '@candlebase/contracts';
import { type Db, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import { sameJson } from './same-json';
import { expectedLastBars, listSymbols, statusOf } from './symbols';

/** One step of the feed: rows that changed (or appeared), symbols removed, or statuses the clock moved. */
export type FeedChange =
  | { kind: 'rows'; symbols: SymbolSummary[]; removed: string[] }
  | { kind: 'status'; changes: [string, SymbolStatus][] };

export interface FeedEntry {
  seq: number;
  change: FeedChange;
}

export interface SymbolFeedOptions {
  /** The app's clock: statuses are derived against it. */
  clock?: () => number;
  /** How often statuses are derived again from the coverage in hand (fresh turns stale by time alone). */
  ageEveryMs?: number;
  /**
   * How often everything is read again: bounds what changes without a NOTIFY (an edit made in SQL).
   * Never sooner than REREAD_COST_FACTOR times the last one took (seconds at 100,000 symbols).
   */
  rereadEveryMs?: number;
  /** The periodic re-read takes at most 1/this of the feed's time (default 50). */
  rereadCostFactor?: number;
  /** Changes kept for clients that reconnect; one further behind reloads the snapshot. */
  keep?: number;
}

/** More symbols than this touched at once: read everything rather than that many one by one. */
const PARTIAL_MAX = 500;
const RETRY_MS = 1000;
const REREAD_COST_FACTOR = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The symbol list of this process, kept current by the NOTIFYs every process sends (a symbol
 * added, changed or removed; a job event, which may move its symbols' coverage and status) and
 * by the clock, as a numbered sequence of per-symbol changes. `symbols.snapshot` and
 * `symbols.list` read its rows; `symbols.onChanged` follows its changes from any recent position.
 * Work is serialized: events that arrive while a read runs are coalesced into the next one.
 */
export class SymbolListFeed {
  /** Names this sequence: positions from another process or an earlier start mean nothing here. */
  readonly id = randomBytes(6).readUIntBE(0, 6).toString(36);
  private rows: SymbolSummary[] | null = null;
  private seq = 0;
  private log: FeedEntry[] = [];
  private readonly emitter = new EventEmitter();
  private pendingFull = true;
  /** The timer's re-read: it waits while per-symbol changes are pending, which must not wait for it. */
  private pendingReread = false;
  /** When the timer's last re-read ended and how long it took (performance.now() ms). */
  private lastReread = { at: 0, ms: 0 };
  private pendingAge = false;
  private readonly pendingSymbols = new Set<string>();
  private readonly pendingJobs = new Set<string>();
  private draining: Promise<void> | null = null;
  private lastError: unknown = null;
  private snapshotMemo: SymbolListSnapshot | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly clock: () => number;
  private readonly keep: number;

  constructor(
    private readonly db: Db,
    private readonly options: SymbolFeedOptions = {},
  ) {
    this.emitter.setMaxListeners(0);
    this.clock = options.clock ?? Date.now;
    this.keep = options.keep ?? 1000;
  }

  /** Timers for the clock's and the periodic re-read's changes; the first read waits for a reader. */
  start(): void {
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.options.ageEveryMs ?? 15_000, () => this.age());
    every(this.options.rereadEveryMs ?? 60_000, () => this.reread());
  }

  stop(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
  }

  /** Everything may have changed (a LISTEN connection came back, or no one knows what moved). */
  invalidate(): void {
    this.pendingFull = true;
    this.kick();
  }

  /** The timer's turn to read everything, unless its last re-read was too recent for what it cost. */
  reread(): void {
    const { at, ms } = this.lastReread;
    if (performance.now() - at < (this.options.rereadCostFactor ?? REREAD_COST_FACTOR) * ms) return;
    this.pendingReread = true;
    this.kick();
  }

  /** One symbol was added, changed or removed. */
  symbolChanged(symbol: string): void {
    this.pendingSymbols.add(symbol);
    this.kick();
  }

  /** A job made progress: its symbols' coverage, status or error may have changed. */
  jobChanged(jobId: string): void {
    if (!UUID.test(jobId)) {
      this.invalidate();
      return;
    }
    this.pendingJobs.add(jobId);
    this.kick();
  }

  /** Derive statuses again at the clock's time, in memory. */
  age(): void {
    this.pendingAge = true;
    this.kick();
  }

  /** The current position, as clients resume from it. */
  position(seq = this.seq): string {
    return `${this.id}:${seq}`;
  }

  /** The rows as of every change heard so far, and their position. */
  async current(): Promise<{ seq: number; rows: SymbolSummary[] }> {
    await this.settle();
    if (!this.rows) throw this.lastError ?? new Error('The symbol list could not be read');
    return { seq: this.seq, rows: this.rows };
  }

  /** The compact form of `current()`, encoded once per position. */
  async snapshot(): Promise<SymbolListSnapshot> {
    const { seq, rows } = await this.current();
    const position = this.position(seq);
    if (this.snapshotMemo?.seq !== position) this.snapshotMemo = encodeSymbolList(rows, position);
    return this.snapshotMemo;
  }

  /** Changes after `seq`, or null when they are no longer kept (or `seq` is ahead of this feed). */
  since(seq: number): FeedEntry[] | null {
    if (seq > this.seq) return null;
    const first = this.log[0];
    if (seq < this.seq && (!first || first.seq > seq + 1)) return null;
    return this.log.filter((e) => e.seq > seq);
  }

  /** Calls `fn` with every change from now on; call the returned function to stop. */
  onChange(fn: (entry: FeedEntry) => void): () => void {
    this.emitter.on('change', fn);
    return () => this.emitter.off('change', fn);
  }

  /** Resolves once nothing heard so far is still waiting to be read. */
  private async settle(): Promise<void> {
    while (this.hasPending() || this.draining) {
      await (this.draining ?? this.kick());
      if (this.lastError && this.hasPending()) return;
    }
  }

  private hasPending(): boolean {
    return this.pendingFull || this.pendingReread || this.hasUrgent();
  }

  private hasUrgent(): boolean {
    return this.pendingAge || this.pendingSymbols.size > 0 || this.pendingJobs.size > 0;
  }

  private kick(): Promise<void> {
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async drain(): Promise<void> {
    while (this.hasPending()) {
      // A change heard goes out first; the timer's re-read (seconds at 100,000 symbols) comes after it.
      const byTimer = !this.pendingFull && this.rows !== null && this.pendingReread && !this.hasUrgent();
      const full = this.pendingFull || !this.rows || byTimer;
      const symbols = [...this.pendingSymbols];
      const jobs = [...this.pendingJobs];
      const age = this.pendingAge;
      if (full) this.pendingReread = false;
      this.pendingFull = false;
      this.pendingAge = false;
      this.pendingSymbols.clear();
      this.pendingJobs.clear();
      try {
        const started = performance.now();
        await this.step(full, symbols, jobs, age);
        if (byTimer) this.lastReread = { at: performance.now(), ms: performance.now() - started };
        this.lastError = null;
      } catch (err) {
        // Put the work back and try again shortly; readers get the last rows meanwhile.
        this.lastError = err;
        if (full) this.pendingFull = true;
        if (age) this.pendingAge = true;
        for (const s of symbols) this.pendingSymbols.add(s);
        for (const j of jobs) this.pendingJobs.add(j);
        setTimeout(() => void this.kick(), RETRY_MS).unref();
        return;
      }
    }
  }

  private async step(full: boolean, symbols: string[], jobs: string[], age: boolean): Promise<void> {
    const now = this.clock();
    if (!full && jobs.length > 0) {
      const rows = await queryRows<{ symbol: string }>(
        this.db,
        sql`select distinct unnest(symbols) as symbol from backfill_jobs where id = any(${sql.param(jobs)}::uuid[])`,
      );
      symbols.push(...rows.map((r) => r.symbol));
    }
    const current = this.rows ?? [];
    if (full || new Set(symbols).size > Math.max(PARTIAL_MAX, current.length / 4)) {
      const read = await listSymbols(this.db, { now });
      if (!this.rows) {
        this.rows = read;
        return;
      }
      const seen = new Set(read.map((s) => s.symbol));
      const removed = current.filter((s) => !seen.has(s.symbol)).map((s) => s.symbol);
      this.applyRows(read, removed);
    } else if (symbols.length > 0) {
      const wanted = [...new Set(symbols)];
      const read = await listSymbols(this.db, { symbols: wanted, now });
      const found = new Set(read.map((s) => s.symbol));
      const listed = new Set(current.map((s) => s.symbol));
      this.applyRows(
        read,
        wanted.filter((s) => listed.has(s) && !found.has(s)),
      );
    }
    // Rows read just now are derived at `now` already; the rest only on the timer's turn (a pass over every row).
    if (age) this.applyAge(now);
  }

  /** Publishes the rows among `read` that differ from those held, and the removals. */
  private applyRows(read: SymbolSummary[], removed: string[]): void {
    const held = new Map((this.rows ?? []).map((s) => [s.symbol, s]));
    const changed = read.filter((s) => {
      const before = held.get(s.symbol);
      return !before || !sameJson(before, s);
    });
    if (changed.length === 0 && removed.length === 0) return;
    this.rows = applySymbolChange(this.rows ?? [], { symbols: changed, removed });
    this.publish({ kind: 'rows', symbols: changed, removed });
  }

  /** Statuses the clock alone moves (fresh to stale as bars come due); jobs' statuses come with their events. */
  private applyAge(now: number): void {
    if (!this.rows) return;
    const expected = expectedLastBars(now);
    const changes: [string, SymbolStatus][] = [];
    const next = this.rows.map((s) => {
      if (s.status === 'backfilling' || s.status === 'error') return s;
      const status = statusOf(s.asset_class, s.coverage, now, expected, s.session);
      if (status === s.status) return s;
      changes.push([s.symbol, status]);
      return { ...s, status };
    });
    if (changes.length === 0) return;
    this.rows = next;
    this.publish({ kind: 'status', changes });
  }

  private publish(change: FeedChange): void {
    const entry = { seq: ++this.seq, change };
    this.log.push(entry);
    if (this.log.length > this.keep) this.log.splice(0, this.log.length - this.keep);
    this.emitter.emit('change', entry);
  }
}
