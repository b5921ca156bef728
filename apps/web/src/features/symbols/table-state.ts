import type { SortingState } from '@tanstack/react-table';
import { isString, isStringArray, usePersistentState } from '../../lib/storage';
import { isStatusFilter, type StatusFilter } from './status';

const DEFAULT_SORT: SortingState = [{ id: 'symbol', desc: false }];

function isSorting(v: unknown): v is SortingState {
  return (
    Array.isArray(v) &&
    v.every(
      (s: unknown) =>
        typeof s === 'object' &&
        s !== null &&
        'id' in s &&
        typeof s.id === 'string' &&
        'desc' in s &&
        typeof s.desc === 'boolean',
    )
  );
}

/** Search, status filter and sort: they combine, and all three survive a reload. */
export function useTableState() {
  const [search, setSearch] = usePersistentState('symbols.search', '', isString);
  const [status, setStatus] = usePersistentState<StatusFilter>('symbols.status', 'all', isStatusFilter);
  const [sorting, setSorting] = usePersistentState<SortingState>('symbols.sort', DEFAULT_SORT, isSorting);
  return { search, setSearch, status, setStatus, sorting, setSorting };
}

/** The checked symbols, independent of what the filters show, kept across reloads. */
export function useSelection() {
  const [selected, setSelected] = usePersistentState<string[]>('symbols.selected', [], isStringArray);
  const set = new Set(selected);
  return {
    selected,
    has: (symbol: string) => set.has(symbol),
    toggle: (symbol: string, on: boolean) =>
      setSelected((prev) =>
        on ? (prev.includes(symbol) ? prev : [...prev, symbol]) : prev.filter((s) => s !== symbol),
      ),
    setMany: (symbols: readonly string[], on: boolean) =>
      setSelected((prev) => {
        if (!on) {
          const drop = new Set(symbols);
          return prev.filter((s) => !drop.has(s));
        }
        const next = new Set(prev);
        for (const s of symbols) next.add(s);
        return [...next];
      }),
    clear: () => setSelected([]),
  };
}

export type Selection = ReturnType<typeof useSelection>;
