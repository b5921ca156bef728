import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo } from 'react';
import { isBoolean, usePersistentState } from '../../lib/storage';
import { useTRPC } from '../../lib/trpc';

export const REFRESH_INTERVAL_MS = 10_000;

interface RefreshSettings {
  auto: boolean;
  setAuto: (on: boolean) => void;
  /** For the dashboard's queries: refetch every 10 s while on (TanStack pauses it while the tab is hidden). */
  interval: number | false;
}

const RefreshContext = createContext<RefreshSettings | null>(null);

export function RefreshProvider({ children }: { children: ReactNode }) {
  const [auto, setAuto] = usePersistentState('autoRefresh', true, isBoolean);
  const value = useMemo<RefreshSettings>(
    () => ({ auto, setAuto, interval: auto ? REFRESH_INTERVAL_MS : false }),
    [auto, setAuto],
  );
  return <RefreshContext.Provider value={value}>{children}</RefreshContext.Provider>;
}

export function useRefreshSettings(): RefreshSettings {
  const ctx = useContext(RefreshContext);
  if (!ctx) throw new Error('useRefreshSettings needs a RefreshProvider above it');
  return ctx;
}

/** Refetches everything the dashboard shows: health, metrics, symbols and recent jobs. */
export function useRefreshDashboard(): () => Promise<void> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(async () => {
    await Promise.all([
      queryClient.invalidateQueries(trpc.system.pathFilter()),
      queryClient.invalidateQueries(trpc.symbols.pathFilter()),
      queryClient.invalidateQueries(trpc.backfill.recent.pathFilter()),
      queryClient.invalidateQueries(trpc.alerts.pathFilter()),
    ]);
  }, [queryClient, trpc]);
}
