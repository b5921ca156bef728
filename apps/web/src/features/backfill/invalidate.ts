import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTRPC } from '../../lib/trpc';

/**
 * After a job starts or ends: metrics, recent jobs, candles and the open asset may have changed.
 * The watchlist follows the job by itself (symbols.onChanged).
 */
export function useInvalidateAfterJob(): () => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(() => {
    void queryClient.invalidateQueries(trpc.symbols.get.pathFilter());
    void queryClient.invalidateQueries(trpc.system.metrics.pathFilter());
    void queryClient.invalidateQueries(trpc.backfill.recent.pathFilter());
    void queryClient.invalidateQueries(trpc.candles.pathFilter());
  }, [queryClient, trpc]);
}
