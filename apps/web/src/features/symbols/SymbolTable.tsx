import type { SymbolSummary } from '@candlebase/contracts';
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  type Header,
  type OnChangeFn,
  type Row,
  type SortingState,
  type TableMeta,
  useReactTable,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { remToPx } from '../../lib/rem';
import { SYMBOL_COLUMNS } from './columns';
import { moveFocus } from './row-keys';
import type { StatusFilter } from './status';
import { AgesFrom, VisibleSymbols } from './table-context';
import type { Selection } from './table-state';

/** 2.25rem: rows grow with the user's text size, and the virtualizer is told so. */
const ROW_REM = 2.25;

/**
 * The rows the search (symbol or name, case-insensitive) and the status filter leave, in the
 * order given. Filtering the sorted rows keeps their order, so a keystroke costs one pass over the
 * rows and no sort. `haystacks` (lower-cased "symbol name", one per row in the same order) are
 * built once per data or sort change rather than looked up per row and keystroke.
 */
export function filterRows<R extends { original: SymbolSummary }>(
  rows: R[],
  search: string,
  status: StatusFilter,
  haystacks: readonly string[] = rows.map((r) => haystackOf(r.original)),
): R[] {
  const q = search.trim().toLowerCase();
  if (!q && status === 'all') return rows;
  const out: R[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r && (status === 'all' || r.original.status === status) && (!q || haystacks[i]?.includes(q))) out.push(r);
  }
  return out;
}

export function haystackOf(s: SymbolSummary): string {
  return `${s.symbol}\u0000${s.name ?? ''}`.toLowerCase();
}

function ariaSort(header: Header<SymbolSummary, unknown>): 'ascending' | 'descending' | 'none' {
  const dir = header.column.getIsSorted();
  return dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none';
}

function SortIcon({ dir }: { dir: false | 'asc' | 'desc' }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 8 12" className={`size-2.5 ${dir ? 'text-sky-400' : 'text-zinc-600'}`}>
      <path d="M4 1 7 5H1z" fill="currentColor" opacity={dir === 'desc' ? 0.25 : 1} />
      <path d="M4 11 1 7h6z" fill="currentColor" opacity={dir === 'asc' ? 0.25 : 1} />
    </svg>
  );
}

function HeaderCell({ header }: { header: Header<SymbolSummary, unknown> }) {
  const meta = header.column.columnDef.meta;
  const base = `sticky top-0 ${meta?.sticky ? `${meta.sticky} z-20` : 'z-10'} h-8 whitespace-nowrap border-b border-zinc-800 bg-zinc-900 px-2.5 text-[0.6875rem] font-semibold tracking-wider text-zinc-400 ${meta?.keepCase ? '' : 'uppercase'} ${meta?.numeric ? 'text-right' : 'text-left'} ${meta?.className ?? ''}`;
  const content = flexRender(header.column.columnDef.header, header.getContext());
  if (!header.column.getCanSort()) {
    return (
      <th scope="col" className={base} data-column={header.column.id}>
        {content}
      </th>
    );
  }
  return (
    <th scope="col" aria-sort={ariaSort(header)} className={base} data-column={header.column.id}>
      <button
        type="button"
        onClick={header.column.getToggleSortingHandler()}
        className={`inline-flex items-center gap-1 rounded hover:text-zinc-100 ${meta?.keepCase ? '' : 'uppercase'} focus-visible:outline-2 focus-visible:outline-sky-400 ${meta?.numeric ? 'flex-row-reverse' : ''}`}
      >
        {content}
        <SortIcon dir={header.column.getIsSorted()} />
      </button>
    </th>
  );
}

interface SymbolRowProps {
  row: Row<SymbolSummary>;
  index: number;
  checked: boolean;
  height: number;
}

function sameRow(a: SymbolRowProps, b: SymbolRowProps): boolean {
  return a.row.original === b.row.original && a.index === b.index && a.checked === b.checked && a.height === b.height;
}

/**
 * One table row, rendered again only when its symbol's data, its place or its checkbox changed.
 * TanStack builds new `Row` objects for every change to the data, so the row is compared by the
 * summary it shows (`row.original`), which a live change replaces for its own symbol alone. Its
 * age cell follows the data's time through `AgesFrom`.
 */
const SymbolRow = memo(function SymbolRow({ row, index, checked, height }: SymbolRowProps) {
  return (
    <tr
      aria-rowindex={index + 2}
      style={{ height }}
      className={`group ${checked ? 'bg-sky-500/[0.07]' : 'hover:bg-zinc-800/40'}`}
    >
      {row.getVisibleCells().map((cell) => {
        const meta = cell.column.columnDef.meta;
        return (
          <td
            key={cell.id}
            className={`border-b border-zinc-800/60 px-2.5 tabular-nums ${meta?.numeric ? 'text-right text-zinc-300' : ''} ${meta?.sticky ? `${meta.sticky} z-[1] bg-zinc-900` : ''}`}
          >
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </td>
        );
      })}
    </tr>
  );
}, sameRow);

export interface SymbolTableProps {
  symbols: SymbolSummary[];
  loading: boolean;
  search: string;
  status: StatusFilter;
  sorting: SortingState;
  onSortingChange: OnChangeFn<SortingState>;
  selection: Selection;
  openAsset: (symbol: string) => void;
  onClearFilters: () => void;
  dataUpdatedAt: number;
  /** Told how many rows the filters leave, for the panel's count. */
  onFilteredCount: (n: number) => void;
}

/** The watchlist: a real table, virtualized (padding rows above and below) so 10,000 rows scroll smoothly. */
export function SymbolTable(props: SymbolTableProps) {
  const { symbols, loading, search, status, sorting, onSortingChange, selection, openAsset } = props;
  // Ages are measured from when the data arrived, so they read alike across rows between updates.
  const agesFrom = useMemo(() => props.dataUpdatedAt || Date.now(), [props.dataUpdatedAt]);

  const meta: TableMeta<SymbolSummary> = { selection, openAsset };
  // Sorted once per data or sort change (the row model is memoised on those); each keystroke
  // then only filters that order. TanStack's own pipeline filters first and sorts what is left,
  // which made every keystroke a sort of up to every row.
  const table = useReactTable({
    data: symbols,
    columns: SYMBOL_COLUMNS,
    state: { sorting },
    onSortingChange,
    manualFiltering: true,
    getRowId: (s) => s.symbol,
    enableMultiSort: false,
    enableSortingRemoval: false,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    meta,
  });
  const sorted = table.getRowModel().rows;
  const haystacks = useMemo(() => sorted.map((r) => haystackOf(r.original)), [sorted]);
  const rows = useMemo(() => filterRows(sorted, search, status, haystacks), [sorted, search, status, haystacks]);
  const visibleSymbols = useMemo(() => rows.map((r) => r.original.symbol), [rows]);

  const { onFilteredCount } = props;
  useEffect(() => onFilteredCount(rows.length), [rows.length, onFilteredCount]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const rowHeight = remToPx(ROW_REM);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    // A few rows beyond the viewport keep fast scrolling blank-free; every one is rendered per keystroke.
    overscan: 6,
  });
  // A new order starts at its top: the old scroll position would show an arbitrary middle of it.
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [sorting]);
  // The symbol column is pinned just right of the checkbox column, whose width the browser decides
  // (the checkbox's own margins, the text size): measured, not guessed.
  const tableRef = useRef<HTMLTableElement>(null);
  useLayoutEffect(() => {
    const t = tableRef.current;
    const first = t?.querySelector<HTMLElement>('th[data-column="select"]');
    if (!t || !first) return;
    const pin = () => t.style.setProperty('--symbol-left', `${first.offsetWidth}px`);
    pin();
    const observer = new ResizeObserver(pin);
    observer.observe(first);
    return () => observer.disconnect();
  }, []);
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const last = items[items.length - 1];
  const paddingBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const colSpan = table.getVisibleLeafColumns().length;

  return (
    <div ref={scrollRef} className="min-h-0 flex-1 overflow-auto" tabIndex={-1}>
      <VisibleSymbols.Provider value={visibleSymbols}>
        <AgesFrom.Provider value={agesFrom}>
          <table
            ref={tableRef}
            aria-label="Symbol watchlist"
            aria-rowcount={rows.length + 1}
            className="w-full border-separate border-spacing-0 text-sm"
          >
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id} aria-rowindex={1}>
                  {group.headers.map((h) => (
                    <HeaderCell key={h.id} header={h} />
                  ))}
                </tr>
              ))}
            </thead>
            <tbody onKeyDown={moveFocus}>
              {paddingTop > 0 && (
                <tr>
                  <td colSpan={colSpan} style={{ height: paddingTop }} />
                </tr>
              )}
              {items.map((item) => {
                const row = rows[item.index];
                if (!row) return null;
                return (
                  <SymbolRow
                    key={row.id}
                    row={row}
                    index={item.index}
                    checked={selection.has(row.original.symbol)}
                    height={rowHeight}
                  />
                );
              })}
              {paddingBottom > 0 && (
                <tr>
                  <td colSpan={colSpan} style={{ height: paddingBottom }} />
                </tr>
              )}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={colSpan} className="px-4 py-12 text-center text-sm text-zinc-400">
                    {loading ? (
                      'Loading symbols…'
                    ) : symbols.length === 0 ? (
                      'No symbols yet. Start a backfill to add some.'
                    ) : (
                      <>
                        No symbols match these filters.{' '}
                        <button type="button" onClick={props.onClearFilters} className="text-sky-400 hover:underline">
                          Clear filters
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </AgesFrom.Provider>
      </VisibleSymbols.Provider>
    </div>
  );
}
