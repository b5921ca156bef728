import type { SymbolSummary } from '@candlebase/contracts';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../../ui/Button';
import { AddSymbolDialog } from './AddSymbolDialog';
import { AddToListDialog, DeleteListDialog, ListNameDialog } from './ListDialogs';
import { useInvalidateSymbols, useWatchlists } from './queries';
import { RemoveSymbolsDialog } from './RemoveSymbolsDialog';
import { RenameSymbolDialog } from './RenameSymbolDialog';

const ADD_SYMBOL_ID = 'add-symbol';

type Open = 'none' | 'add' | 'remove' | 'rename' | 'new-list' | 'rename-list' | 'delete-list' | 'add-to-list';

/**
 * The list picker ("All symbols" or one named list) and what can be done to symbols and lists:
 * add, remove and rename symbols; create, rename and delete lists; put the selection in a list or
 * take it out. Its dialogs are its own; focus goes back to the button that opened one.
 */
export function WatchlistControls({
  symbols,
  selected,
  listId,
  onPickList,
  onDeselect,
  onRenamed,
}: {
  symbols: SymbolSummary[];
  selected: string[];
  listId: number | null;
  onPickList: (id: number | null) => void;
  onDeselect: (symbols: string[]) => void;
  onRenamed: (from: string, to: string) => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidateSymbols();
  const lists = useWatchlists().data ?? [];
  const list = lists.find((l) => l.id === listId);
  const takeOut = useMutation(trpc.watchlists.removeSymbols.mutationOptions({ onSuccess: invalidate }));
  const [open, setOpen] = useState<Open>('none');
  const opener = useRef<HTMLElement | null>(null);

  const show = (which: Open) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setOpen(which);
  };
  const close = () => {
    setOpen('none');
    // After the dialog unmounts: the opener may have gone (a Rename button once nothing is selected).
    requestAnimationFrame(() => {
      const el =
        opener.current?.isConnected && !opener.current.hasAttribute('disabled')
          ? opener.current
          : document.getElementById(ADD_SYMBOL_ID);
      el?.focus();
    });
  };
  const candles = symbols.filter((s) => selected.includes(s.symbol)).reduce((n, s) => n + s.records, 0);
  const only = selected.length === 1 ? selected[0] : undefined;

  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-zinc-800 px-3.5 py-2">
      <div className="flex min-w-0 flex-wrap items-center gap-2">
        <label htmlFor="list-picker" className="text-xs text-zinc-400">
          List
        </label>
        <select
          id="list-picker"
          value={list ? String(list.id) : ''}
          onChange={(e) => onPickList(e.target.value === '' ? null : Number(e.target.value))}
          className="h-8 min-w-0 max-w-full rounded-md border border-zinc-700 bg-zinc-950 px-2 text-sm text-zinc-100 focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500"
        >
          <option value="">All symbols</option>
          {lists.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name} ({l.symbols.length})
            </option>
          ))}
        </select>
        <Button size="sm" variant="ghost" onClick={() => show('new-list')}>
          New List
        </Button>
        {list && (
          <>
            <Button size="sm" variant="ghost" onClick={() => show('rename-list')}>
              Rename List
            </Button>
            <Button size="sm" variant="ghost" onClick={() => show('delete-list')}>
              Delete List
            </Button>
          </>
        )}
      </div>
      <div role="toolbar" aria-label="Symbols" className="flex flex-wrap items-center gap-2">
        <Button id={ADD_SYMBOL_ID} size="sm" onClick={() => show('add')}>
          Add Symbol
        </Button>
        <Button size="sm" onClick={() => show('add-to-list')} disabled={selected.length === 0 || lists.length === 0}>
          Add to List
        </Button>
        {list && (
          <Button
            size="sm"
            onClick={() => takeOut.mutate({ id: list.id, symbols: selected })}
            disabled={selected.length === 0 || takeOut.isPending}
          >
            Remove from List
          </Button>
        )}
        <Button size="sm" onClick={() => show('rename')} disabled={only === undefined}>
          Rename Symbol
        </Button>
        <Button size="sm" variant="danger" onClick={() => show('remove')} disabled={selected.length === 0}>
          Remove Symbols
        </Button>
      </div>
      {open === 'add' && <AddSymbolDialog onClose={close} />}
      {open === 'remove' && (
        <RemoveSymbolsDialog symbols={selected} candles={candles} onClose={close} onRemoved={onDeselect} />
      )}
      {open === 'rename' && only !== undefined && (
        <RenameSymbolDialog symbol={only} onClose={close} onRenamed={onRenamed} />
      )}
      {open === 'new-list' && <ListNameDialog onClose={close} onSaved={(l) => onPickList(l.id)} />}
      {open === 'rename-list' && list && <ListNameDialog list={list} onClose={close} onSaved={() => {}} />}
      {open === 'delete-list' && list && (
        <DeleteListDialog list={list} onClose={close} onDeleted={() => onPickList(null)} />
      )}
      {open === 'add-to-list' && <AddToListDialog symbols={selected} lists={lists} onClose={close} />}
    </div>
  );
}
