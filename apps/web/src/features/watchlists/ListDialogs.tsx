import { type Watchlist, watchlistNameSchema } from '@candlebase/contracts';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { friendlyMessage } from '../../lib/errors';
import { formatInt } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../../ui/Button';
import { Modal } from '../../ui/Modal';
import { OneFieldDialog } from './OneFieldDialog';
import { FormAlert, INPUT_CLASS } from './parts';
import { useInvalidateSymbols } from './queries';

/** Names a new list, or renames one; hands the saved list back. */
export function ListNameDialog({
  list,
  onClose,
  onSaved,
}: {
  /** The list to rename; none to create one. */
  list?: Watchlist;
  onClose: () => void;
  onSaved: (list: Watchlist) => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidateSymbols();
  const create = useMutation(trpc.watchlists.create.mutationOptions({ meta: { handlesErrors: true } }));
  const rename = useMutation(trpc.watchlists.rename.mutationOptions({ meta: { handlesErrors: true } }));
  return (
    <OneFieldDialog
      title={list ? `Rename list ${list.name}` : 'New list'}
      label="List name"
      initial={list?.name ?? ''}
      schema={watchlistNameSchema}
      invalid="Invalid name"
      maxLength={60}
      pending={create.isPending || rename.isPending}
      submitLabel={list ? 'Rename list' : 'Create list'}
      save={async (name) => {
        const saved = list ? await rename.mutateAsync({ id: list.id, name }) : await create.mutateAsync({ name });
        invalidate();
        onSaved(saved);
      }}
      onClose={onClose}
    />
  );
}

/** Deletes a list; its symbols stay in "All symbols" with their candles. */
export function DeleteListDialog({
  list,
  onClose,
  onDeleted,
}: {
  list: Watchlist;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidateSymbols();
  const remove = useMutation(trpc.watchlists.remove.mutationOptions({ meta: { handlesErrors: true } }));
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    try {
      await remove.mutateAsync({ id: list.id });
      invalidate();
      onDeleted();
      onClose();
    } catch (err) {
      setError(friendlyMessage(err));
    }
  };
  return (
    <Modal open onOpenChange={(open) => !open && onClose()} title={`Delete list ${list.name}`} size="sm">
      <div className="flex flex-col gap-3 p-5 text-sm text-zinc-300">
        <p>The list goes; its {formatInt(list.symbols.length)} symbols and their candles stay in All symbols.</p>
        {error && <FormAlert>{error}</FormAlert>}
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="danger" onClick={() => void confirm()} disabled={remove.isPending}>
            Delete list
          </Button>
        </div>
      </div>
    </Modal>
  );
}

/** Puts the selected symbols in a list the user picks. */
export function AddToListDialog({
  symbols,
  lists,
  onClose,
}: {
  symbols: string[];
  lists: Watchlist[];
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidateSymbols();
  const add = useMutation(trpc.watchlists.addSymbols.mutationOptions({ meta: { handlesErrors: true } }));
  const [id, setId] = useState<number | undefined>(lists[0]?.id);
  const [error, setError] = useState<string | null>(null);
  const select = useRef<HTMLSelectElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (id === undefined) return;
    try {
      await add.mutateAsync({ id, symbols });
      invalidate();
      onClose();
    } catch (err) {
      setError(friendlyMessage(err));
    }
  };

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title="Add to list"
      description={`${formatInt(symbols.length)} selected ${symbols.length === 1 ? 'symbol' : 'symbols'}`}
      size="sm"
      initialFocus={() => select.current}
    >
      <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-3 p-5">
        <label className="flex flex-col gap-1 text-sm text-zinc-300">
          Add to
          <select ref={select} value={id ?? ''} onChange={(e) => setId(Number(e.target.value))} className={INPUT_CLASS}>
            {lists.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        {error && <FormAlert>{error}</FormAlert>}
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" disabled={add.isPending || id === undefined}>
            Add to list
          </Button>
        </div>
      </form>
    </Modal>
  );
}
