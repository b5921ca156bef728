import { type Adjust, MAX_CANDLES_PER_PAGE, type Timeframe } from '@candlebase/contracts';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
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

/**
 * Pages cached per series at most: 20 x 500 bars. Paging further back drops the newest page, so a
 * long scroll through history keeps memory bounded (the "N of M loaded" count says what is held).
 */
export const MAX_CANDLE_PAGES = 20;

/**
 * The candles the chart workspace holds, newest first, paged back through `next_cursor`; `to` (a
 * "Go to date") makes the newest page end there instead of at the latest bar.
 */
export function useCandlePages(symbol: string, timeframe: Timeframe, adjust: Adjust = 'splits', to?: string) {
  const trpc = useTRPC();
  return useInfiniteQuery(
    trpc.candles.list.infiniteQueryOptions(
      { symbol, timeframe, limit: CANDLES_PAGE, adjust, ...(to ? { to } : {}) },
      {
        staleTime: ASSET_STALE_MS,
        maxPages: MAX_CANDLE_PAGES,
        getNextPageParam: (page) => page.next_cursor ?? undefined,
        // Only older pages are fetched; "Latest" starts over from the newest bar instead.
        getPreviousPageParam: () => undefined,
      },
    ),
  );
}

/** A second symbol over the span the chart holds, for the comparison overlay. */
export function useCompareCandles(
  symbol: string | null,
  timeframe: Timeframe,
  adjust: Adjust,
  span: { from: string; to: string } | null,
) {
  const trpc = useTRPC();
  return useQuery(
    trpc.candles.list.queryOptions(
      { symbol: symbol ?? 'NONE', timeframe, adjust, limit: MAX_CANDLES_PER_PAGE, from: span?.from, to: span?.to },
      { enabled: symbol !== null && span !== null, staleTime: ASSET_STALE_MS, placeholderData: keepPreviousData },
    ),
  );
}

/** Actions change when a backfill records them; a finished job invalidates every candles.* query, this one too. */
export function useActions(symbol: string) {
  const trpc = useTRPC();
  return useQuery(trpc.candles.actions.queryOptions({ symbol }, { staleTime: ASSET_STALE_MS }));
}
