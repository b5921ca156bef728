import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTRPC } from '../../lib/trpc';

/** After a job starts or ends: the watchlist, metrics, recent jobs and candles may all have changed. */
export function useInvalidateAfterJob(): () => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(() => {
    void queryClient.invalidateQueries(trpc.symbols.pathFilter());
    void queryClient.invalidateQueries(trpc.system.metrics.pathFilter());
    void queryClient.invalidateQueries(trpc.backfill.recent.pathFilter());
    void queryClient.invalidateQueries(trpc.candles.pathFilter());
  }, [queryClient, trpc]);
}
