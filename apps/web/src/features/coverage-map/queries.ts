import type { CoverageMap, CoverageMapInput } from '@candlebase/contracts';
import { keepPreviousData, useQueries } from '@tanstack/react-query';
import { useMemo, useRef } from 'react';
import { useTRPC } from '../../lib/trpc';

export const PAGE_ROWS = 500;

export type MapFilters = Omit<CoverageMapInput, 'offset' | 'limit'>;

/**
 * The pages of the map that the visible rows fall in (and the first, which carries the total):
 * scrolling through 10,000 symbols loads 500 rows at a time, never all at once.
 */
export function useMapPages(filters: MapFilters, firstRow: number, lastRow: number, poll: boolean) {
  const trpc = useTRPC();
  const pages = new Set([0]);
  for (let p = Math.floor(firstRow / PAGE_ROWS); p <= Math.floor(Math.max(firstRow, lastRow) / PAGE_ROWS); p++)
    pages.add(p);
  const list = [...pages].sort((a, b) => a - b);
  const { pages: loaded, error } = useQueries({
    queries: list.map((p) => ({
      ...trpc.enrichment.coverageMap.queryOptions({ ...filters, offset: p * PAGE_ROWS, limit: PAGE_ROWS }),
      // Only the first page keeps its rows while new filters load: another page's rows would be the wrong symbols.
      ...(p === 0 ? { placeholderData: keepPreviousData } : {}),
      refetchInterval: poll ? 2000 : (false as const),
      // A range being typed (From after To for a moment) is not asked for; the dialog says why.
      enabled: filters.from <= filters.to,
    })),
    // Only data and errors: a page starting or ending a fetch re-renders nothing.
    combine: (results) => ({ pages: results.map((r) => r.data), error: results.find((r) => r.error)?.error ?? null }),
  });
  // The same pages as last render keep the same map, so the grid's text alternative is not redone.
  const cache = useRef<{ loaded: (CoverageMap | undefined)[]; list: number[]; byPage: Map<number, CoverageMap> }>(null);
  const prev = cache.current;
  if (
    !prev ||
    prev.loaded.length !== loaded.length ||
    loaded.some((d, i) => d !== prev.loaded[i] || list[i] !== prev.list[i])
  ) {
    const m = new Map<number, CoverageMap>();
    loaded.forEach((d, i) => {
      if (d) m.set(list[i] as number, d);
    });
    cache.current = { loaded, list, byPage: m };
  }
  const byPage = (cache.current as { byPage: Map<number, CoverageMap> }).byPage;
  return useMemo(
    () => ({
      first: byPage.get(0),
      error,
      rowAt: (i: number) => byPage.get(Math.floor(i / PAGE_ROWS))?.rows[i % PAGE_ROWS],
      pageOf: (p: number) => byPage.get(p),
    }),
    [byPage, error],
  );
}
