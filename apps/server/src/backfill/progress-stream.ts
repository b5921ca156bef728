import { isFinished, type ProgressMessage } from '@candlebase/contracts';
import { tracked } from '@trpc/server';
import type { AppContext } from '../context';
import { jobWithEventsAfter } from './events';
import { getStatus } from './service';

/** Without a NOTIFY (a lost one, or a dropped LISTEN connection), look again this often. */
const POLL_MS = 2000;
const BATCH = 500;

/**
 * Listen first, then snapshot, then every event after `lastEventId`, then the live tail. Events
 * are read back from the table, so a NOTIFY is only a hint and nothing is lost or repeated.
 */
export async function* progressStream(
  app: AppContext,
  input: { jobId: string; lastEventId?: string | null | undefined },
  signal: AbortSignal | undefined,
) {
  const { waker, close } = app.hub.onJob(input.jobId);
  const stop = signal ? AbortSignal.any([signal, app.shutdown]) : app.shutdown;
  try {
    const snapshot = await getStatus(app.database.db, input.jobId);
    const { details, ...job } = snapshot;
    yield { type: 'snapshot', job, units: details } satisfies ProgressMessage;
    let last = input.lastEventId ?? '0';
    while (!stop.aborted) {
      const read = await jobWithEventsAfter(app.database.db, input.jobId, last, BATCH);
      if (!read) return;
      for (const event of read.events) {
        last = event.id;
        yield tracked(event.id, { type: 'event', event, job: read.job } satisfies ProgressMessage);
      }
      // One snapshot: a final job here means its last event was in this batch or before it.
      if (read.events.length < BATCH && isFinished(read.job.status)) return;
      if (read.events.length === 0) await waker.wait(POLL_MS, stop);
    }
  } finally {
    close();
  }
}
