import { type SymbolSummary, TIMEFRAME_LIST, type Timeframe } from '@candlebase/contracts';
import type { ColumnDef, Table } from '@tanstack/react-table';
import { useContext } from 'react';
import { formatAge, formatInt, formatUtc } from '../../lib/format';
import { Checkbox } from '../../ui/Checkbox';
import { StatusBadge } from './StatusBadge';
import { statusRank } from './status';
import { AgesFrom, VisibleSymbols } from './table-context';
import type { Selection } from './table-state';

declare module '@tanstack/react-table' {
  interface TableMeta<TData> {
    selection: Selection;
    openAsset: (symbol: string) => void;
  }

  interface ColumnMeta<TData, TValue> {
    /** Tailwind classes for the cells of this column. */
    className?: string;
    /** Right-aligned numbers. */
    numeric?: boolean;
    /** A header that must not be upper-cased (timeframes: 5m is not 5M). */
    keepCase?: boolean;
    /** Classes that pin the column to the left edge when the table scrolls sideways (checkbox, symbol). */
    sticky?: string;
  }
}

function coverageOf(s: SymbolSummary, tf: Timeframe) {
  return s.coverage.find((c) => c.timeframe === tf);
}

/** "Select all" acts on the rows the filters show now. */
function SelectAllCheckbox({ selection }: { selection: Selection }) {
  const visibleSymbols = useContext(VisibleSymbols);
  // Nothing selected is the usual case: no pass over every visible row (100,000 of them) per keystroke.
  const chosen = selection.selected.length === 0 ? 0 : visibleSymbols.filter((s) => selection.has(s)).length;
  const all = visibleSymbols.length > 0 && chosen === visibleSymbols.length;
  return (
    <Checkbox
      aria-label="Select all"
      checked={all}
      indeterminate={chosen > 0 && !all}
      disabled={visibleSymbols.length === 0}
      onChange={(e) => selection.setMany(visibleSymbols, e.target.checked)}
    />
  );
}

function metaOf(table: Table<SymbolSummary>) {
  const meta = table.options.meta;
  if (!meta) throw new Error('The symbol table needs its meta (selection, openAsset)');
  return meta;
}

/** A last bar's age, counted from when the data arrived. */
function DataAge({ at }: { at: string }) {
  const from = useContext(AgesFrom) ?? Date.now();
  return <span title={formatUtc(at)}>{formatAge(at, from)}</span>;
}

/**
 * The column definitions, built once. Values that change come from outside them: the selection
 * and callbacks through the table's meta, the visible symbols and the time ages count from through
 * contexts. `flexRender` renders each `cell` function as a component, so new definitions would be
 * new component types, and every visible cell would be mounted afresh (the focused symbol button
 * with them) on each live update.
 */
function buildColumns(): ColumnDef<SymbolSummary>[] {
  const coverageColumns: ColumnDef<SymbolSummary>[] = TIMEFRAME_LIST.map((tf) => ({
    id: `cov_${tf}`,
    header: tf,
    accessorFn: (s) => coverageOf(s, tf)?.count ?? 0,
    sortDescFirst: true,
    // Exact counts with separators, as everywhere else: a column of "3,162" beside "17.4K" misleads.
    meta: { numeric: true, keepCase: true, className: 'w-20' },
    cell: ({ row }) => {
      const c = coverageOf(row.original, tf);
      if (!c || c.count === 0) return <span className="text-zinc-400">—</span>;
      return (
        <span title={`${tf}: ${formatInt(c.count)} candles, ${formatUtc(c.first)} to ${formatUtc(c.last)}`}>
          {formatInt(c.count)}
        </span>
      );
    },
  }));

  return [
    {
      id: 'select',
      enableSorting: false,
      meta: { className: 'w-9', sticky: 'sticky left-0' },
      header: ({ table }) => <SelectAllCheckbox selection={metaOf(table).selection} />,
      cell: ({ row, table }) => {
        const { selection } = metaOf(table);
        return (
          <Checkbox
            aria-label={`Select ${row.original.symbol}`}
            // One Tab stop per row (the symbol); arrow keys reach the checkbox (see SymbolTable).
            tabIndex={-1}
            checked={selection.has(row.original.symbol)}
            onChange={(e) => selection.toggle(row.original.symbol, e.target.checked)}
          />
        );
      },
    },
    {
      id: 'symbol',
      header: 'Symbol',
      accessorKey: 'symbol',
      // Plain order (symbols are upper-case already): the default alphanumeric sort splits every
      // string on each comparison, and 'text' lower-cases both sides of every comparison.
      sortingFn: 'basic',
      meta: { className: 'w-28', sticky: 'sticky left-[var(--symbol-left,2.25rem)]' },
      cell: ({ row, table }) => (
        <button
          type="button"
          onClick={() => metaOf(table).openAsset(row.original.symbol)}
          className="whitespace-nowrap rounded font-mono text-[0.8125rem] font-semibold text-sky-300 hover:text-sky-200 hover:underline focus-visible:outline-2 focus-visible:outline-sky-400"
        >
          {row.original.symbol}
        </button>
      ),
    },
    {
      id: 'name',
      header: 'Name',
      accessorFn: (s) => s.name ?? '',
      sortingFn: 'text',
      meta: { className: 'min-w-40' },
      cell: ({ row }) => (
        <span className="block max-w-72 truncate text-zinc-300" title={row.original.name ?? undefined}>
          {row.original.name ?? <span className="text-zinc-400">—</span>}
        </span>
      ),
    },
    {
      id: 'asset_class',
      header: 'Class',
      accessorKey: 'asset_class',
      sortingFn: 'text',
      meta: { className: 'w-20' },
      cell: ({ row }) => (
        <span className="text-xs uppercase tracking-wide text-zinc-400">{row.original.asset_class}</span>
      ),
    },
    {
      id: 'provider',
      header: 'Provider',
      accessorFn: (s) => s.provider ?? '',
      sortingFn: 'text',
      meta: { className: 'w-28' },
      cell: ({ row }) => (
        <span
          className="block max-w-32 truncate font-mono text-xs text-zinc-400"
          title={row.original.provider ?? undefined}
        >
          {row.original.provider ?? <span className="text-zinc-400">—</span>}
        </span>
      ),
    },
    {
      id: 'status',
      header: 'Status',
      accessorKey: 'status',
      sortingFn: (a, b) => statusRank(a.original.status) - statusRank(b.original.status),
      meta: { className: 'w-28' },
      cell: ({ row }) => <StatusBadge status={row.original.status} title={row.original.last_error ?? undefined} />,
    },
    ...coverageColumns,
    {
      id: 'age',
      header: 'Data age',
      // Youngest first is newest last bar first, whatever time ages count from; no data sorts as the oldest.
      accessorFn: (s) => (s.last_candle_at ? -Date.parse(s.last_candle_at) : Number.MAX_SAFE_INTEGER),
      sortDescFirst: false,
      meta: { numeric: true, className: 'w-24' },
      cell: ({ row }) =>
        row.original.last_candle_at ? (
          <DataAge at={row.original.last_candle_at} />
        ) : (
          <span className="text-zinc-400">—</span>
        ),
    },
    {
      id: 'records',
      header: 'Records',
      accessorKey: 'records',
      sortDescFirst: true,
      meta: { numeric: true, className: 'w-24' },
      cell: ({ row }) =>
        row.original.records > 0 ? formatInt(row.original.records) : <span className="text-zinc-400">0</span>,
    },
  ];
}

export const SYMBOL_COLUMNS: ColumnDef<SymbolSummary>[] = buildColumns();
