import type { BackfillJob, JobEvent } from '@candlebase/contracts';
import { isFinished } from '@candlebase/contracts';
import type { Database } from '@candlebase/db';
import { jobWithEventsAfter, type NotificationHub } from './events';

/** Without a NOTIFY (a lost one, or a dropped LISTEN connection), look again this often. */
const POLL_MS = 2000;
const BATCH = 500;
/** Events a feed keeps for its subscribers; one further behind catches up with reads of its own. */
const KEEP = 5000;

/** A promise and its resolve (Promise.withResolvers arrived after Node 20). */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export interface FeedEntry {
  event: JobEvent;
  /** The job's aggregates as read with this event. */
  job: BackfillJob;
}

/**
 * One reader per job per process, however many subscribers follow it: each wake (a NOTIFY, or
 * the poll) makes one read of the job and its new events, shared by all. Before, each subscriber
 * read for itself, and a thousand of them on one running job took the whole pool on every event.
 */
class JobFeed {
  private entries: FeedEntry[] = [];
  /** Events with ids up to this one are not (or no longer) in `entries`. */
  private base = 0n;
  private ended = false;
  private error: unknown = null;
  private pulse = deferred();
  private readonly stop = new AbortController();
  subscribers = 0;

  constructor(
    private readonly database: Database,
    private readonly hub: NotificationHub,
    readonly jobId: string,
    private readonly onEnd: (feed: JobFeed) => void,
  ) {}

  start(): void {
    void this.run();
  }

  close(): void {
    this.stop.abort();
  }

  private wake(): void {
    const { resolve } = this.pulse;
    this.pulse = deferred();
    resolve();
  }

  private async run(): Promise<void> {
    const { waker, close } = this.hub.onJob(this.jobId);
    let last = '0';
    try {
      while (!this.stop.signal.aborted) {
        const read = await jobWithEventsAfter(this.database.db, this.jobId, last, BATCH);
        if (!read) {
          this.ended = true;
          break;
        }
        for (const event of read.events) this.entries.push({ event, job: read.job });
        last = read.events.at(-1)?.id ?? last;
        if (this.entries.length > KEEP) {
          const dropped = this.entries.splice(0, this.entries.length - KEEP);
          this.base = BigInt(dropped.at(-1)?.event.id ?? this.base);
        }
        // A final job here means its last event was in this batch or before it (one snapshot).
        this.ended = read.events.length < BATCH && isFinished(read.job.status);
        if (read.events.length > 0 || this.ended) this.wake();
        if (this.ended) break;
        if (read.events.length === 0) await waker.wait(POLL_MS, this.stop.signal);
      }
    } catch (err) {
      this.error = err;
    } finally {
      close();
      // A later subscriber (after a retry re-opens the job, or after an error) starts a new feed.
      this.onEnd(this);
      this.wake();
    }
  }

  /** Index of the first entry after event `after` (ids ascend). */
  private indexAfter(after: bigint): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (BigInt(this.entries[mid]?.event.id ?? 0) <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Every event after `afterId`, then the live tail, until the job ends or `signal` aborts. */
  async *follow(afterId: string, signal: AbortSignal): AsyncGenerator<FeedEntry> {
    let last = BigInt(afterId);
    while (!signal.aborted) {
      if (last < this.base) {
        // Further behind than the feed keeps: catch up alone (only until it reaches the feed).
        const read = await jobWithEventsAfter(this.database.db, this.jobId, String(last), BATCH);
        if (!read) return;
        for (const event of read.events) {
          last = BigInt(event.id);
          yield { event, job: read.job };
        }
        continue;
      }
      const pulse = this.pulse.promise;
      const from = this.indexAfter(last);
      const fresh = this.entries.slice(from);
      for (const entry of fresh) {
        last = BigInt(entry.event.id);
        yield entry;
      }
      if (fresh.length > 0) continue;
      if (this.error) throw this.error;
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          resolve();
        };
        signal.addEventListener('abort', done, { once: true });
        void pulse.then(done);
      });
    }
  }
}

/** The feeds of this process, one per followed job, each closed when its last subscriber goes. */
export class ProgressFeeds {
  private readonly feeds = new Map<string, JobFeed>();

  constructor(
    private readonly database: Database,
    private readonly hub: NotificationHub,
  ) {}

  /** How many jobs are followed right now (each costs one reader, whatever its subscribers). */
  get size(): number {
    return this.feeds.size;
  }

  async *follow(jobId: string, afterId: string, signal: AbortSignal): AsyncGenerator<FeedEntry> {
    let feed = this.feeds.get(jobId);
    if (!feed) {
      feed = new JobFeed(this.database, this.hub, jobId, (ended) => {
        if (this.feeds.get(jobId) === ended) this.feeds.delete(jobId);
      });
      this.feeds.set(jobId, feed);
      feed.start();
    }
    feed.subscribers++;
    try {
      yield* feed.follow(afterId, signal);
    } finally {
      feed.subscribers--;
      if (feed.subscribers === 0) {
        feed.close();
        if (this.feeds.get(jobId) === feed) this.feeds.delete(jobId);
      }
    }
  }
}
