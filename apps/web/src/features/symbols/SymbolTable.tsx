import type { SymbolSummary } from '@candlebase/contracts';
import {
  type ColumnDef,
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
import { memo, useEffect, useMemo, useRef } from 'react';
import { buildColumns } from './columns';
import type { StatusFilter } from './status';
import type { Selection } from './table-state';

const ROW_HEIGHT = 36;

/** Lower-cased "symbol name" per row, built once per data refresh rather than per keystroke. */
const haystacks = new WeakMap<SymbolSummary, string>();
function haystackOf(s: SymbolSummary): string {
  let h = haystacks.get(s);
  if (h === undefined) {
    h = `${s.symbol}\u0000${s.name ?? ''}`.toLowerCase();
    haystacks.set(s, h);
  }
  return h;
}

/**
 * The rows the search (symbol or name, case-insensitive) and the status filter leave, in the
 * order given. Filtering the sorted rows keeps their order, so a keystroke costs one pass over the
 * rows and no sort.
 */
export function filterRows<R extends { original: SymbolSummary }>(
  rows: R[],
  search: string,
  status: StatusFilter,
): R[] {
  const q = search.trim().toLowerCase();
  if (!q && status === 'all') return rows;
  return rows.filter(
    (r) => (status === 'all' || r.original.status === status) && (!q || haystackOf(r.original).includes(q)),
  );
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
  const base = `sticky top-0 z-10 h-8 whitespace-nowrap border-b border-zinc-800 bg-zinc-900 px-2.5 text-[11px] font-semibold tracking-wider text-zinc-400 ${meta?.keepCase ? '' : 'uppercase'} ${meta?.numeric ? 'text-right' : 'text-left'} ${meta?.className ?? ''}`;
  const content = flexRender(header.column.columnDef.header, header.getContext());
  if (!header.column.getCanSort()) {
    return (
      <th scope="col" className={base}>
        {content}
      </th>
    );
  }
  return (
    <th scope="col" aria-sort={ariaSort(header)} className={base}>
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

/**
 * One table row. Memoised: rows that stay on screen through a keystroke, a selection change or a
 * re-render of the panel are not rendered again; `columns` changes with the data's timestamp.
 */
const SymbolRow = memo(function SymbolRow({
  row,
  index,
  checked,
}: {
  row: Row<SymbolSummary>;
  index: number;
  checked: boolean;
  columns: ColumnDef<SymbolSummary>[];
}) {
  return (
    <tr
      aria-rowindex={index + 2}
      style={{ height: ROW_HEIGHT }}
      className={`group ${checked ? 'bg-sky-500/[0.07]' : 'hover:bg-zinc-800/40'}`}
    >
      {row.getVisibleCells().map((cell) => {
        const meta = cell.column.columnDef.meta;
        return (
          <td
            key={cell.id}
            className={`border-b border-zinc-800/60 px-2.5 tabular-nums ${meta?.numeric ? 'text-right text-zinc-300' : ''}`}
          >
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </td>
        );
      })}
    </tr>
  );
});

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
  // Ages are measured from when the data arrived, so sorting by age is stable between refreshes.
  const columns = useMemo(() => buildColumns(props.dataUpdatedAt || Date.now()), [props.dataUpdatedAt]);

  // The header reads visibleSymbols when it renders, after the rows below are known.
  const meta: TableMeta<SymbolSummary> = { selection, openAsset, visibleSymbols: [] };
  // Sorted once per data or sort change (the row model is memoised on those); each keystroke
  // then only filters that order. TanStack's own pipeline filters first and sorts what is left,
  // which made every keystroke a sort of up to every row.
  const table = useReactTable({
    data: symbols,
    columns,
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
  const rows = useMemo(() => filterRows(sorted, search, status), [sorted, search, status]);
  meta.visibleSymbols = useMemo(() => rows.map((r) => r.original.symbol), [rows]);

  const { onFilteredCount } = props;
  useEffect(() => onFilteredCount(rows.length), [rows.length, onFilteredCount]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // A few rows beyond the viewport keep fast scrolling blank-free; every one is rendered per keystroke.
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const last = items[items.length - 1];
  const paddingBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const colSpan = table.getVisibleLeafColumns().length;

  return (
    <div ref={scrollRef} className="min-h-0 flex-1 overflow-auto" tabIndex={-1}>
      <table
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
        <tbody>
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
                columns={columns}
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
              <td colSpan={colSpan} className="px-4 py-12 text-center text-sm text-zinc-500">
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
    </div>
  );
}
