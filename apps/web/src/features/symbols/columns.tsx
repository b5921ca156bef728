import { type SymbolSummary, TIMEFRAME_LIST, type Timeframe } from '@candlebase/contracts';
import type { ColumnDef, Table } from '@tanstack/react-table';
import { formatAge, formatCompact, formatInt, formatUtc } from '../../lib/format';
import { Checkbox } from '../../ui/Checkbox';
import { StatusBadge } from './StatusBadge';
import { statusRank } from './status';
import type { Selection } from './table-state';

declare module '@tanstack/react-table' {
  interface TableMeta<TData> {
    selection: Selection;
    openAsset: (symbol: string) => void;
    /** The symbols the search and status filter leave, in table order: what "Select all" acts on. */
    visibleSymbols: string[];
  }

  interface ColumnMeta<TData, TValue> {
    /** Tailwind classes for the cells of this column. */
    className?: string;
    /** Right-aligned numbers. */
    numeric?: boolean;
    /** A header that must not be upper-cased (timeframes: 5m is not 5M). */
    keepCase?: boolean;
  }
}

function coverageOf(s: SymbolSummary, tf: Timeframe) {
  return s.coverage.find((c) => c.timeframe === tf);
}

/** "Select all" acts on the rows the filters show now. */
function SelectAllCheckbox({ selection, visibleSymbols }: { selection: Selection; visibleSymbols: string[] }) {
  const chosen = visibleSymbols.filter((s) => selection.has(s)).length;
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
  if (!meta) throw new Error('The symbol table needs its meta (selection, openAsset, visibleSymbols)');
  return meta;
}

/** Stable column definitions; per-render values (selection, callbacks) come through the table's meta. */
export function buildColumns(now: number): ColumnDef<SymbolSummary>[] {
  const coverageColumns: ColumnDef<SymbolSummary>[] = TIMEFRAME_LIST.map((tf) => ({
    id: `cov_${tf}`,
    header: tf,
    accessorFn: (s) => coverageOf(s, tf)?.count ?? 0,
    sortDescFirst: true,
    meta: { numeric: true, keepCase: true, className: 'w-16' },
    cell: ({ row }) => {
      const c = coverageOf(row.original, tf);
      if (!c || c.count === 0) return <span className="text-zinc-600">—</span>;
      return (
        <span title={`${tf}: ${formatInt(c.count)} candles, ${formatUtc(c.first)} to ${formatUtc(c.last)}`}>
          {formatCompact(c.count)}
        </span>
      );
    },
  }));

  return [
    {
      id: 'select',
      enableSorting: false,
      meta: { className: 'w-9' },
      header: ({ table }) => (
        <SelectAllCheckbox selection={metaOf(table).selection} visibleSymbols={metaOf(table).visibleSymbols} />
      ),
      cell: ({ row, table }) => {
        const { selection } = metaOf(table);
        return (
          <Checkbox
            aria-label={`Select ${row.original.symbol}`}
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
      meta: { className: 'w-28' },
      cell: ({ row, table }) => (
        <button
          type="button"
          onClick={() => metaOf(table).openAsset(row.original.symbol)}
          className="whitespace-nowrap rounded font-mono text-[13px] font-semibold text-sky-300 hover:text-sky-200 hover:underline focus-visible:outline-2 focus-visible:outline-sky-400"
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
          {row.original.name ?? <span className="text-zinc-600">—</span>}
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
          {row.original.provider ?? <span className="text-zinc-600">—</span>}
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
      // Age in ms; no data sorts as the oldest.
      accessorFn: (s) => (s.last_candle_at ? now - Date.parse(s.last_candle_at) : Number.MAX_SAFE_INTEGER),
      sortDescFirst: false,
      meta: { numeric: true, className: 'w-24' },
      cell: ({ row }) =>
        row.original.last_candle_at ? (
          <span title={formatUtc(row.original.last_candle_at)}>{formatAge(row.original.last_candle_at, now)}</span>
        ) : (
          <span className="text-zinc-600">—</span>
        ),
    },
    {
      id: 'records',
      header: 'Records',
      accessorKey: 'records',
      sortDescFirst: true,
      meta: { numeric: true, className: 'w-24' },
      cell: ({ row }) =>
        row.original.records > 0 ? formatInt(row.original.records) : <span className="text-zinc-600">0</span>,
    },
  ];
}
