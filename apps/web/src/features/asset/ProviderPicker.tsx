import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { friendlyMessage } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { Badge } from '../../ui/Badge';
import { useIsDemoProvider, useProviders } from '../system/queries';

/**
 * The symbol's provider, changeable: its next backfills and refreshes fetch from the one chosen.
 * Only configured providers are offered; the server refuses any other in words.
 */
export function ProviderPicker({ symbol, provider }: { symbol: string; provider: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const providers = useProviders();
  const demo = useIsDemoProvider(provider);
  const set = useMutation(
    trpc.symbols.setProvider.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries(trpc.symbols.pathFilter()),
    }),
  );
  const names = providers.map((p) => p.name);
  // A provider this server lacks (configured elsewhere) stays visible rather than silently replaced.
  if (provider && !names.includes(provider)) names.unshift(provider);
  return (
    // A term and its value, as the facts beside it in the Overview's list.
    <>
      <dt>
        <label htmlFor={id} className="text-[0.625rem] font-medium uppercase tracking-wider text-zinc-400">
          Provider
        </label>
      </dt>
      <dd className="mt-0.5 flex items-center gap-2">
        <select
          id={id}
          value={provider ?? ''}
          disabled={set.isPending || names.length === 0}
          onChange={(e) => set.mutate({ symbol, provider: e.target.value })}
          className="h-7 min-w-0 rounded-md border border-zinc-700 bg-zinc-950 px-1.5 text-sm text-zinc-100 focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500"
        >
          {!provider && <option value="">—</option>}
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        {demo && <Badge tone="violet">demo data</Badge>}
      </dd>
      {set.isError && (
        <dd role="alert" className="mt-1 text-xs text-rose-300">
          {friendlyMessage(set.error)}
        </dd>
      )}
    </>
  );
}
