import type { ProgressMessage } from '@candlebase/contracts';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState } from 'react';
import { reportApiError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { EMPTY_PROGRESS, type ProgressState, reduceProgress } from './progress-state';

/** Tracked events arrive as `{ id, data }`; the snapshot comes bare. */
function unwrap(d: ProgressMessage | { id: string; data: ProgressMessage }): ProgressMessage {
  return 'type' in d ? d : d.data;
}

/**
 * Live progress of one job over the `backfill.onProgress` SSE subscription. The link resumes
 * after the last event id by itself on a reconnect; the input never changes.
 */
export function useJobProgress(jobId: string) {
  const trpc = useTRPC();
  const [state, setState] = useState<ProgressState>(EMPTY_PROGRESS);
  const subscription = useSubscription(
    trpc.backfill.onProgress.subscriptionOptions(
      { jobId },
      {
        onData: (d) => setState((s) => reduceProgress(s, unwrap(d))),
        onError: (err) => reportApiError(err),
      },
    ),
  );
  return { ...state, subscription };
}
