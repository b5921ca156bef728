import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { usePersistentState } from '../../lib/storage';
import { useTRPC } from '../../lib/trpc';

export function useWatchlists() {
  const trpc = useTRPC();
  return useQuery(trpc.watchlists.list.queryOptions());
}

/** The list the table shows: null for "All symbols", the default; kept across reloads. */
export function usePickedList() {
  const [id, setId] = usePersistentState<number | null>(
    'symbols.list',
    null,
    (v): v is number | null => v === null || (typeof v === 'number' && Number.isInteger(v)),
  );
  return { id, setId };
}

/** After a symbol or a list changes: the table, the lists and the metrics may all differ. */
export function useInvalidateSymbols(): () => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(() => {
    void queryClient.invalidateQueries(trpc.symbols.pathFilter());
    void queryClient.invalidateQueries(trpc.watchlists.pathFilter());
    void queryClient.invalidateQueries(trpc.system.metrics.pathFilter());
  }, [queryClient, trpc]);
}
