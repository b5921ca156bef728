import type { ProgressMessage } from '@candlebase/contracts';
import { skipToken } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useState } from 'react';
import { httpStatusOf, reportApiError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { EMPTY_PROGRESS, type ProgressState, reduceProgress } from './progress-state';

const NOT_FOUND_RETRY_MS = 1000;
const NOT_FOUND_RETRIES = 30;

/** Tracked events arrive as `{ id, data }`; the snapshot comes bare. */
function unwrap(d: ProgressMessage | { id: string; data: ProgressMessage }): ProgressMessage {
  return 'type' in d ? d : d.data;
}

/**
 * Live progress of one job over the `backfill.onProgress` SSE subscription, or of none while
 * `jobId` is null. The link resumes after the last event id by itself on a reconnect; a new job
 * starts from an empty state, not from the last job's.
 */
export function useJobProgress(jobId: string | null) {
  const trpc = useTRPC();
  const [tracked, setTracked] = useState<{ jobId: string | null; state: ProgressState }>({
    jobId,
    state: EMPTY_PROGRESS,
  });
  const state = tracked.jobId === jobId ? tracked.state : EMPTY_PROGRESS;
  const [notFoundTries, setNotFoundTries] = useState(0);
  const subscription = useSubscription(
    trpc.backfill.onProgress.subscriptionOptions(jobId === null ? skipToken : { jobId }, {
      onData: (d) =>
        setTracked((t) => ({
          jobId,
          state: reduceProgress(t.jobId === jobId ? t.state : EMPTY_PROGRESS, unwrap(d), Date.now()),
        })),
      onError: (err) => {
        // A job made through another server may not be visible here yet: wait for it a while.
        if (httpStatusOf(err) === 404 && notFoundTries < NOT_FOUND_RETRIES) return;
        reportApiError(err);
      },
    }),
  );
  const notFound = subscription.error !== null && httpStatusOf(subscription.error) === 404;
  const { reset } = subscription;
  useEffect(() => {
    if (!notFound || notFoundTries >= NOT_FOUND_RETRIES) return;
    const timer = setTimeout(() => {
      setNotFoundTries((n) => n + 1);
      reset();
    }, NOT_FOUND_RETRY_MS);
    return () => clearTimeout(timer);
  }, [notFound, notFoundTries, reset]);
  const waitingForJob = notFound && notFoundTries < NOT_FOUND_RETRIES;
  return { ...state, subscription, waitingForJob };
}
