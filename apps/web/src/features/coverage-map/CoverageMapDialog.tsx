import {
  ASSET_CLASSES,
  type AssetClass,
  type BackfillRequestInput,
  COVERAGE_MAP_BUCKETS,
  type CoverageMapBucket,
  SYMBOL_STATUSES,
  type SymbolStatus,
  TIMEFRAME_LIST,
  type Timeframe,
} from '@candlebase/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { friendlyMessage } from '../../lib/errors';
import { formatInt, pluralize } from '../../lib/format';
import { useTRPC, useTRPCClient } from '../../lib/trpc';
import { Button } from '../../ui/Button';
import { Modal } from '../../ui/Modal';
import { downloadExport, exportUrlOf } from '../asset/export';
import { BackfillPreviewTable } from '../backfill/BackfillPreviewTable';
import { useInvalidateAfterJob } from '../backfill/invalidate';
import { STATUS_LABELS } from '../symbols/status';
import { cellFigures } from './draw';
import { GapsPanel } from './GapsPanel';
import { MapCanvas, type MapCell } from './MapCanvas';
import { columnLabel, columnTitle, defaultRange, Legend, mergePreviews, ZOOM_LABELS } from './map-parts';
import { type MapFilters, PAGE_ROWS, useMapPages } from './queries';
import { type CellRect, requestsFor, rowsOf } from './selection';

const selectClass =
  'h-8 rounded-md border border-zinc-700 bg-zinc-950 px-2 text-sm text-zinc-100 focus:border-sky-500 focus:outline-none';

export function CoverageMapDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const invalidate = useInvalidateAfterJob();
  const [timeframe, setTimeframe] = useState<Timeframe>('1h');
  const [bucket, setBucket] = useState<CoverageMapBucket>('month');
  const [range, setRange] = useState(defaultRange);
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<SymbolStatus | ''>('');
  const [assetClass, setAssetClass] = useState<AssetClass | ''>('');
  const [selection, setSelection] = useState<CellRect[]>([]);
  const [opened, setOpened] = useState<MapCell | null>(null);
  const [rows, setRows] = useState({ first: 0, last: 40 });
  const [started, setStarted] = useState<{ jobs: number; at: number } | null>(null);

  const filters: MapFilters = useMemo(
    () => ({
      timeframe,
      bucket,
      from: range.from,
      to: range.to,
      ...(search.trim() ? { search: search.trim() } : {}),
      ...(status ? { status } : {}),
      ...(assetClass ? { asset_class: assetClass } : {}),
    }),
    [timeframe, bucket, range, search, status, assetClass],
  );
  // Poll while a job started here may still be filling cells, or any visible cell is in progress.
  const [pollUntil, setPollUntil] = useState(0);
  const map = useMapPages(filters, rows.first, rows.last, pollUntil > 0);
  const data = map.first;
  const columns = useMemo(
    () =>
      (data?.columns ?? []).map((c) => ({
        ...c,
        label: columnLabel(bucket, c.start),
        title: columnTitle(bucket, c.start, c.end),
      })),
    [data?.columns, bucket],
  );
  const total = data?.total ?? 0;
  // Pages, not rows: the dialog renders again only when scrolling reaches another page.
  const onVisibleRows = useCallback((first: number, last: number) => {
    const page = (r: number) => Math.floor(r / PAGE_ROWS);
    setRows((cur) => (page(cur.first) === page(first) && page(cur.last) === page(last) ? cur : { first, last }));
  }, []);

  const resetSelection = () => {
    setSelection([]);
    setOpened(null);
    preview.reset();
    setStarted(null);
  };

  /**
   * The backfill requests of the selection, loading the pages of selected rows not yet on screen;
   * `all` keeps the cells with nothing to fetch too (for an export of what is stored).
   */
  const selectedRequests = async (all = false): Promise<BackfillRequestInput[]> => {
    const pages = new Set(rowsOf(selection).map((r) => Math.floor(r / PAGE_ROWS)));
    const loaded = new Map<number, Awaited<ReturnType<typeof fetchPage>>>();
    const fetchPage = (p: number) =>
      queryClient.fetchQuery(
        trpc.enrichment.coverageMap.queryOptions({ ...filters, offset: p * PAGE_ROWS, limit: PAGE_ROWS }),
      );
    await Promise.all([...pages].map(async (p) => loaded.set(p, map.pageOf(p) ?? (await fetchPage(p)))));
    const rowAt = (i: number) => loaded.get(Math.floor(i / PAGE_ROWS))?.rows[i % PAGE_ROWS];
    const nothingToFetch = (r: number, c: number) => {
      const s = cellFigures(rowAt(r), c).state;
      return s === 'complete' || s === 'none';
    };
    return requestsFor(selection, (r) => rowAt(r)?.symbol, columns, timeframe, all ? undefined : nothingToFetch);
  };

  // What the selected cells hold, as CSV: one file per date span (at most 100 symbols each).
  const exportCsv = useMutation({
    mutationFn: async () => {
      for (const r of await selectedRequests(true)) {
        const span = {
          timeframe,
          start_date: r.start_date ?? '',
          end_date: r.end_date ?? '',
          adjust: 'splits' as const,
        };
        await downloadExport(exportUrlOf(r.symbols ?? [], span, 'csv'));
      }
    },
    meta: { handlesErrors: true },
  });

  const preview = useMutation({
    mutationFn: async () => {
      const requests = await selectedRequests();
      const previews = await Promise.all(
        requests.map((r) => queryClient.fetchQuery({ ...trpc.backfill.preview.queryOptions(r), staleTime: 0 })),
      );
      return { requests, preview: mergePreviews(previews) };
    },
    meta: { handlesErrors: true },
  });
  const create = useMutation({
    mutationFn: async (requests: BackfillRequestInput[]) => {
      // One after another: each job is created before the next is asked for.
      for (const r of requests) await client.backfill.create.mutate(r);
      return requests.length;
    },
    meta: { handlesErrors: true },
    onSuccess: (jobs) => {
      invalidate();
      setStarted({ jobs, at: Date.now() });
      setPollUntil(Date.now() + 120_000);
      preview.reset();
    },
  });
  if (pollUntil > 0 && Date.now() > pollUntil) setPollUntil(0);

  const openedRow = opened ? map.rowAt(opened.row) : undefined;
  const openedCol = opened ? columns[opened.col] : undefined;
  const error = preview.error ?? create.error ?? map.error;
  const badRange = range.from > range.to;
  const selectedCells = selection.reduce((n, r) => n + (r.r1 - r.r0 + 1) * (r.c1 - r.c0 + 1), 0);

  return (
    <Modal open onOpenChange={(o) => !o && onClose()} title="Coverage Map" size="full">
      <div className="flex h-[76vh] flex-col gap-3 p-4">
        <div className="flex flex-wrap items-end gap-3 text-xs text-zinc-400">
          <div className="flex flex-col gap-1">
            <label htmlFor="map-timeframe">Timeframe</label>
            <select
              id="map-timeframe"
              className={selectClass}
              value={timeframe}
              onChange={(e) => {
                setTimeframe(e.target.value as Timeframe);
                resetSelection();
              }}
            >
              {TIMEFRAME_LIST.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="map-zoom">Zoom</label>
            <select
              id="map-zoom"
              className={selectClass}
              value={bucket}
              onChange={(e) => {
                setBucket(e.target.value as CoverageMapBucket);
                resetSelection();
              }}
            >
              {COVERAGE_MAP_BUCKETS.map((b) => (
                <option key={b} value={b}>
                  {ZOOM_LABELS[b]}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="map-from">From</label>
            <input
              id="map-from"
              type="date"
              className={selectClass}
              value={range.from}
              onChange={(e) => {
                if (e.target.value) setRange((r) => ({ ...r, from: e.target.value }));
                resetSelection();
              }}
            />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="map-to">To</label>
            <input
              id="map-to"
              type="date"
              className={selectClass}
              value={range.to}
              onChange={(e) => {
                if (e.target.value) setRange((r) => ({ ...r, to: e.target.value }));
                resetSelection();
              }}
            />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="map-search-map">Search map</label>
            <input
              id="map-search-map"
              type="search"
              className={`${selectClass} w-40`}
              value={search}
              placeholder="Symbol or name"
              onChange={(e) => {
                setSearch(e.target.value);
                resetSelection();
              }}
            />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="map-symbol-status">Symbol status</label>
            <select
              id="map-symbol-status"
              className={selectClass}
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as SymbolStatus | '');
                resetSelection();
              }}
            >
              <option value="">All</option>
              {SYMBOL_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="map-asset-class">Asset class</label>
            <select
              id="map-asset-class"
              className={selectClass}
              value={assetClass}
              onChange={(e) => {
                setAssetClass(e.target.value as AssetClass | '');
                resetSelection();
              }}
            >
              <option value="">All</option>
              {ASSET_CLASSES.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          </div>
          <Legend />
        </div>
        <div className="flex min-h-0 flex-1 gap-3">
          <MapCanvas
            columns={columns}
            total={total}
            rowAt={map.rowAt}
            selection={selection}
            onSelection={(s) => {
              setSelection(s);
              preview.reset();
            }}
            onOpenCell={setOpened}
            onVisibleRows={onVisibleRows}
          />
          {opened && openedRow && openedCol && (
            <GapsPanel
              key={`${openedRow.symbol} ${openedCol.start}`}
              symbol={openedRow.symbol}
              timeframe={timeframe}
              from={openedCol.start}
              to={openedCol.end}
              onClose={() => setOpened(null)}
            />
          )}
        </div>
        {(error || badRange) && (
          <p role="alert" className="text-sm text-rose-300">
            {badRange ? 'From must not be after To' : friendlyMessage(error)}
          </p>
        )}
        {preview.data && <BackfillPreviewTable preview={preview.data.preview} />}
        <div className="flex flex-wrap items-center gap-3 text-sm text-zinc-300">
          <span>{formatInt(total)} symbols</span>
          <span role="status">
            {selectedCells > 0
              ? `${pluralize(selectedCells, 'cell')} selected`
              : 'Click, shift-click or drag cells; click a symbol or month to select its row or column'}
          </span>
          {started && (
            <span role="status">Started {pluralize(started.jobs, 'backfill job')}; the cells fill as bars arrive</span>
          )}
          <div className="ml-auto flex gap-2">
            <Button size="sm" variant="ghost" onClick={resetSelection} disabled={selection.length === 0}>
              Clear Map Selection
            </Button>
            <Button
              size="sm"
              variant="ghost"
              onClick={() => exportCsv.mutate()}
              disabled={selection.length === 0 || exportCsv.isPending}
              aria-busy={exportCsv.isPending}
            >
              Export CSV
            </Button>
            <Button
              size="sm"
              onClick={() => preview.mutate()}
              disabled={selection.length === 0 || preview.isPending}
              aria-busy={preview.isPending}
            >
              Preview
            </Button>
            <Button
              size="sm"
              variant="primary"
              disabled={!preview.data || preview.data.requests.length === 0 || create.isPending}
              onClick={() => preview.data && create.mutate(preview.data.requests)}
            >
              Start Backfill
            </Button>
          </div>
        </div>
      </div>
    </Modal>
  );
}
