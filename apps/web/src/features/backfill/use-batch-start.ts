import { type BackfillRequestInput, MAX_SYMBOLS_PER_BACKFILL } from '@candlebase/contracts';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { friendlyMessage } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';

/** Consecutive slices of at most `size`, in order. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface BatchState {
  /** Jobs created so far. */
  started: number;
  total: number;
  running: boolean;
  error: string | null;
}

/**
 * Starts a selection of more than one backfill's worth of symbols as several jobs of at most
 * MAX_SYMBOLS_PER_BACKFILL, one after another. When one is refused (the rate or active-job cap),
 * the rest are not sent; `onPartial` hears which symbols did start so the form keeps the others.
 */
export function useBatchStart({
  onStarted,
  onPartial,
}: {
  onStarted: (jobIds: string[]) => void;
  onPartial: (startedSymbols: string[]) => void;
}) {
  const trpc = useTRPC();
  const create = useMutation(trpc.backfill.create.mutationOptions({ meta: { handlesErrors: true } }));
  const [state, setState] = useState<BatchState | null>(null);

  const start = async (request: BackfillRequestInput) => {
    const batches = chunk(request.symbols ?? [], MAX_SYMBOLS_PER_BACKFILL);
    const jobIds: string[] = [];
    setState({ started: 0, total: batches.length, running: true, error: null });
    for (const symbols of batches) {
      try {
        const created = await create.mutateAsync({ ...request, symbols });
        jobIds.push(created.job_id);
        setState({ started: jobIds.length, total: batches.length, running: true, error: null });
      } catch (err) {
        const error = `Started ${jobIds.length} of ${batches.length} backfills; the others were not: ${friendlyMessage(err)}`;
        setState({ started: jobIds.length, total: batches.length, running: false, error });
        onPartial(batches.slice(0, jobIds.length).flat());
        return;
      }
    }
    setState(null);
    onStarted(jobIds);
  };
  return { state, start, clear: () => setState(null) };
}
