import { EventEmitter } from 'node:events';
import type { BackfillJob, JobEvent, JobEventKind } from '@candlebase/contracts';
import { type Database, EVENTS_CHANNEL, type Executor, queryRows, SYMBOLS_CHANNEL, WORK_CHANNEL } from '@candlebase/db';
import { type EventRow, JOB_COLUMNS, type JobRow, toEvent, toJob } from '@candlebase/db/rows';
import { sql } from 'drizzle-orm';
import { redactDeep, redactSecrets } from '../security/redact';
import { Waker } from '../waker';

export interface NewEvent {
  jobId: string;
  kind: JobEventKind;
  message: string;
  symbol?: string | null;
  timeframe?: string | null;
  data?: Record<string, unknown> | null;
}

/**
 * Appends an event and notifies listeners (delivered when the transaction commits). Callers hold
 * the job's row lock, so event ids of one job commit in id order and a reader of `id > last`
 * never skips one that commits later.
 */
export async function appendEvent(tx: Executor, e: NewEvent): Promise<void> {
  // Events are readable by anyone who may read the job: no secret goes into one.
  await tx.execute(sql`
    insert into backfill_job_events (job_id, kind, symbol, timeframe, message, data)
    values (${e.jobId}, ${e.kind}, ${e.symbol ?? null}, ${e.timeframe ?? null}, ${redactSecrets(e.message)},
            ${e.data ? JSON.stringify(redactDeep(e.data)) : null}::jsonb)`);
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${e.jobId})`);
}

export async function eventsAfter(exec: Executor, jobId: string, afterId: string, limit = 500): Promise<JobEvent[]> {
  const rows = await queryRows<EventRow>(
    exec,
    sql`select id, job_id, at, kind, symbol, timeframe, message, data from backfill_job_events
        where job_id = ${jobId} and id > ${afterId}::bigint order by id limit ${limit}`,
  );
  return rows.map(toEvent);
}

/**
 * The job and the events after `afterId`, read in ONE statement and so from one snapshot: when
 * the job is final here, every event it will ever have is in this snapshot too.
 */
export async function jobWithEventsAfter(
  exec: Executor,
  jobId: string,
  afterId: string,
  limit: number,
): Promise<{ job: BackfillJob; events: JobEvent[] } | null> {
  const rows = await queryRows<{ job: JobRow | string | null; events: EventRow[] | string | null }>(
    exec,
    sql`select (select row_to_json(j) from (select ${sql.raw(JOB_COLUMNS)} from backfill_jobs where id = ${jobId}) j) as job,
               (select coalesce(json_agg(e order by e.id), '[]'::json) from (
                  select id, job_id, at, kind, symbol, timeframe, message, data from backfill_job_events
                  where job_id = ${jobId} and id > ${afterId}::bigint order by id limit ${limit}) e) as events`,
  );
  const row = rows[0];
  const job = typeof row?.job === 'string' ? (JSON.parse(row.job) as JobRow) : row?.job;
  if (!job) return null;
  const events = (typeof row?.events === 'string' ? JSON.parse(row.events) : (row?.events ?? [])) as EventRow[];
  return { job: toJob(job), events: events.map(toEvent) };
}

export async function notifyWork(exec: Executor): Promise<void> {
  await exec.execute(sql`select pg_notify(${WORK_CHANNEL}, '')`);
}

/**
 * Spreads NOTIFYs inside this process: one LISTEN connection, any number of waiters. Works the
 * same on Postgres (across processes) and PGlite (in-process).
 */
export class NotificationHub {
  private readonly emitter = new EventEmitter();
  private readonly unlisteners: (() => Promise<void>)[] = [];

  constructor(private readonly database: Database) {
    this.emitter.setMaxListeners(0);
  }

  async start(): Promise<void> {
    // Notifications sent while a LISTEN connection was being re-established are lost: whoever
    // keeps derived state (the symbol list) hears of every (re)connect as of a change.
    const resync = () => this.emitter.emit('symbols', null);
    this.unlisteners.push(
      await this.database.listen(
        EVENTS_CHANNEL,
        (jobId) => {
          // Readers of derived state (the symbol list) first, then the job's own subscribers.
          this.emitter.emit('any-job', jobId);
          this.emitter.emit(`job:${jobId}`);
        },
        resync,
      ),
      await this.database.listen(WORK_CHANNEL, () => this.emitter.emit('work')),
      await this.database.listen(SYMBOLS_CHANNEL, (symbol) => this.emitter.emit('symbols', symbol || null), resync),
    );
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.unlisteners.splice(0).map((u) => u()));
  }

  /** A waker poked on every event of `jobId`; call the returned function to stop. */
  onJob(jobId: string): { waker: Waker; close: () => void } {
    return this.on(`job:${jobId}`);
  }

  /** Calls `fn` with the job's id on every job event of any job, in this process or another. */
  onAnyJob(fn: (jobId: string) => void): () => void {
    this.emitter.on('any-job', fn);
    return () => this.emitter.off('any-job', fn);
  }

  /**
   * Calls `fn` with the symbol when one is added, changed or removed, in this process or another,
   * and with null whenever the LISTEN connection came back (what it missed is unknown).
   */
  onSymbolsChanged(fn: (symbol: string | null) => void): () => void {
    this.emitter.on('symbols', fn);
    return () => this.emitter.off('symbols', fn);
  }

  onWork(): { waker: Waker; close: () => void } {
    return this.on('work');
  }

  private on(name: string): { waker: Waker; close: () => void } {
    const waker = new Waker();
    const listener = () => waker.notify();
    this.emitter.on(name, listener);
    return { waker, close: () => this.emitter.off(name, listener) };
  }
}
