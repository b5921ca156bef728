import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';
import { useRefreshSettings } from '../system/refresh';

export function useSymbolsList() {
  const trpc = useTRPC();
  const { interval } = useRefreshSettings();
  return useQuery(trpc.symbols.list.queryOptions(undefined, { refetchInterval: interval }));
}
