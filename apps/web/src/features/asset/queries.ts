import type { Adjust, Timeframe } from '@candlebase/contracts';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';

/** Asset data changes only when a backfill ends (which invalidates it), so a minute is fresh enough. */
export const ASSET_STALE_MS = 60_000;
export const CANDLES_PAGE = 500;

export function useAsset(symbol: string) {
  const trpc = useTRPC();
  return useQuery(trpc.symbols.get.queryOptions({ symbol }, { staleTime: ASSET_STALE_MS }));
}

export function useLastBackfill(symbol: string) {
  const trpc = useTRPC();
  return useQuery(
    trpc.backfill.recent.queryOptions(
      { limit: 100 },
      { staleTime: ASSET_STALE_MS, select: (jobs) => jobs.find((j) => j.symbols.includes(symbol)) ?? null },
    ),
  );
}

export function useCandlePages(symbol: string, timeframe: Timeframe, adjust: Adjust = 'splits') {
  const trpc = useTRPC();
  return useInfiniteQuery(
    trpc.candles.list.infiniteQueryOptions(
      { symbol, timeframe, limit: CANDLES_PAGE, adjust },
      { staleTime: ASSET_STALE_MS, getNextPageParam: (page) => page.next_cursor ?? undefined },
    ),
  );
}

/** Actions change when a backfill records them; a finished job invalidates every candles.* query, this one too. */
export function useActions(symbol: string) {
  const trpc = useTRPC();
  return useQuery(trpc.candles.actions.queryOptions({ symbol }, { staleTime: ASSET_STALE_MS }));
}
