import type { Checks } from '@candlebase/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';

/** "Run Checks": asks the server to run its checks now (never a cached answer). */
export function useRunChecks() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (): Promise<Checks> =>
      queryClient.fetchQuery(trpc.system.checks.queryOptions(undefined, { staleTime: 0 })),
  });
}
