import type { ProgressMessage } from '@candlebase/contracts';
import { tracked } from '@trpc/server';
import type { ProgressFeeds } from './job-feed';
import { type JobStatusDeps, jobStatus } from './job-status';

/** What a progress stream reads: the database for the snapshot, the shared feeds, and the process's end. */
export interface ProgressStreamDeps extends JobStatusDeps {
  progress: Pick<ProgressFeeds, 'follow'>;
  /** Aborts when the process shuts down: the stream ends with it. */
  shutdown: AbortSignal;
}

/**
 * Snapshot, then every event after `lastEventId`, then the live tail, from this process's shared
 * feed of the job (one read per wake for all its subscribers). Events are read back from the
 * table, so a NOTIFY is only a hint and nothing is lost or repeated.
 */
export async function* progressStream(
  app: ProgressStreamDeps,
  input: { jobId: string; lastEventId?: string | null | undefined },
  signal: AbortSignal | undefined,
) {
  const stop = signal ? AbortSignal.any([signal, app.shutdown]) : app.shutdown;
  // Every event after the resume point comes from the table, whenever the snapshot was read.
  const feed = app.progress.follow(input.jobId, input.lastEventId ?? '0', stop);
  try {
    const snapshot = await jobStatus(app, input.jobId);
    const { details, ...job } = snapshot;
    yield { type: 'snapshot', job, units: details } satisfies ProgressMessage;
    for await (const { event, job: after } of feed) {
      yield tracked(event.id, { type: 'event', event, job: after } satisfies ProgressMessage);
    }
  } finally {
    await feed.return(undefined);
  }
}
