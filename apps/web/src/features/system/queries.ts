import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';
import { useRefreshSettings } from './refresh';

export function useHealth() {
  const trpc = useTRPC();
  const { interval } = useRefreshSettings();
  return useQuery(trpc.system.health.queryOptions(undefined, { refetchInterval: interval }));
}

export function useMetrics() {
  const trpc = useTRPC();
  const { interval } = useRefreshSettings();
  return useQuery(trpc.system.metrics.queryOptions(undefined, { refetchInterval: interval }));
}
