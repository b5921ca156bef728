import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';
import { useRefreshSettings } from './refresh';

export function useHealth() {
  const trpc = useTRPC();
  const { interval } = useRefreshSettings();
  // A probe reports what it saw: no retries hiding a lost server behind its backoff, so the pill
  // turns red on the first failed refresh and green again on the first one that answers.
  return useQuery(trpc.system.health.queryOptions(undefined, { refetchInterval: interval, retry: false }));
}

export function useMetrics() {
  const trpc = useTRPC();
  const { interval } = useRefreshSettings();
  return useQuery(trpc.system.metrics.queryOptions(undefined, { refetchInterval: interval }));
}

/** Every configured provider (from `system.health`); empty until it has answered. */
export function useProviders() {
  return useHealth().data?.all_providers ?? [];
}

/** Whether a symbol with this provider shows generated data, labelled "demo data". */
export function useIsDemoProvider(provider: string | null): boolean {
  const all = useProviders();
  if (!provider) return false;
  return all.find((p) => p.name === provider)?.demo ?? provider === 'synthetic';
}

/** The newest alerts and their webhook delivery, refreshed with the dashboard. */
export function useAlerts() {
  const trpc = useTRPC();
  const { interval } = useRefreshSettings();
  return useQuery(trpc.alerts.recent.queryOptions({ limit: 50 }, { refetchInterval: interval }));
}
