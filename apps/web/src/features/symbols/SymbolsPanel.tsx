import type { SymbolSummary } from '@candlebase/contracts';
import { useMemo, useState, useSyncExternalStore } from 'react';
import { useDialogs } from '../../app/dialogs';
import { useHotkeys } from '../../app/hotkeys';
import { formatInt } from '../../lib/format';
import { usePickedList, useWatchlists } from '../watchlists/queries';
import { WatchlistControls } from '../watchlists/WatchlistControls';
import { useLiveSymbols } from './queries';
import { SelectionToolbar } from './SelectionToolbar';
import { SymbolFilters } from './SymbolFilters';
import { SymbolTable } from './SymbolTable';
import { useSelection, useTableState } from './table-state';

/** A number one component writes and another shows, without re-rendering their common parent. */
class CountStore {
  private value = 0;
  private readonly listeners = new Set<() => void>();
  readonly set = (n: number) => {
    if (n === this.value) return;
    this.value = n;
    for (const l of this.listeners) l();
  };
  readonly get = () => this.value;
  readonly subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

/** "10,000 symbols" or "3,439 of 10,000 symbols": its own render, so a keystroke's count does not redraw the table. */
function WatchlistCount({ store, total }: { store: CountStore; total: number }) {
  const filtered = useSyncExternalStore(store.subscribe, store.get);
  return (
    <span className="text-xs tabular-nums text-zinc-400">
      {filtered === total ? `${formatInt(total)} symbols` : `${formatInt(filtered)} of ${formatInt(total)} symbols`}
    </span>
  );
}

function filterMembers(all: SymbolSummary[], members: string[]): SymbolSummary[] {
  const keep = new Set(members);
  return all.filter((s) => keep.has(s.symbol));
}

export function SymbolsPanel() {
  const list = useLiveSymbols();
  const state = useTableState();
  const selection = useSelection();
  const dialogs = useDialogs();
  // `b` starts a backfill of what is selected, as "Backfill Selected" does (an empty form when nothing is).
  useHotkeys({ b: () => dialogs.openBackfill(selection.selected, { batches: true }) }, dialogs.current.kind === 'none');
  const all = list.rows;
  // "All symbols" unless a named list is picked; a list that no longer exists shows all.
  const picked = usePickedList();
  const members = useWatchlists().data?.find((w) => w.id === picked.id)?.symbols;
  const symbols = useMemo(() => (members ? filterMembers(all, members) : all), [all, members]);
  const [filtered] = useState(() => new CountStore());

  return (
    <section
      id="watchlist"
      // The skip link's target: focus lands here, and the next Tab reaches the search box.
      tabIndex={-1}
      aria-labelledby="watchlist-title"
      className="flex min-h-[26rem] flex-col overflow-hidden rounded-lg outline-none lg:min-h-0 border border-zinc-800 bg-zinc-900/60"
    >
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-800 px-3.5 py-2.5">
        <div className="flex items-center gap-3">
          <h2 id="watchlist-title" className="text-xs font-semibold uppercase tracking-wider text-zinc-400">
            Watchlist
          </h2>
          <WatchlistCount store={filtered} total={symbols.length} />
        </div>
        <div className="flex flex-wrap items-center gap-4">
          <SymbolFilters
            search={state.search}
            onSearch={state.setSearch}
            status={state.status}
            onStatus={state.setStatus}
          />
          <SelectionToolbar
            count={selection.selected.length}
            onBackfill={() => dialogs.openBackfill(selection.selected, { batches: true })}
            onClear={selection.clear}
          />
        </div>
      </div>
      <WatchlistControls
        symbols={all}
        selected={selection.selected}
        listId={picked.id}
        onPickList={picked.setId}
        onDeselect={(gone) => selection.setMany(gone, false)}
        onRenamed={(from, to) => {
          selection.setMany([from], false);
          selection.setMany([to], true);
        }}
      />
      <SymbolTable
        symbols={symbols}
        loading={list.isPending}
        search={state.search}
        status={state.status}
        sorting={state.sorting}
        onSortingChange={state.setSorting}
        selection={selection}
        openAsset={dialogs.openAsset}
        onClearFilters={() => {
          state.setSearch('');
          state.setStatus('all');
        }}
        dataUpdatedAt={list.updatedAt}
        onFilteredCount={filtered.set}
      />
    </section>
  );
}
