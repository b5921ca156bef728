import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { friendlyMessage } from '../../lib/errors';
import { formatInt } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../../ui/Button';
import { Modal } from '../../ui/Modal';
import { FormAlert } from './parts';
import { useInvalidateSymbols } from './queries';

type Choice = 'keep' | 'delete';

/**
 * Removal asks, with no answer chosen for the user, whether the candles stay (so the symbol added
 * again reads them as before) or go. Symbols are removed one by one; one that fails (a running
 * backfill) is named and the rest still go.
 */
export function RemoveSymbolsDialog({
  symbols,
  candles,
  onClose,
  onRemoved,
}: {
  symbols: string[];
  /** Candles stored for these symbols, as the table knows it. */
  candles: number;
  onClose: () => void;
  onRemoved: (symbols: string[]) => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidateSymbols();
  const remove = useMutation(trpc.symbols.remove.mutationOptions({ meta: { handlesErrors: true } }));
  const [choice, setChoice] = useState<Choice | null>(null);
  const [failures, setFailures] = useState<string[]>([]);
  const one = symbols.length === 1 ? symbols[0] : undefined;
  const what = one ?? `${formatInt(symbols.length)} symbols`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (choice === null) return;
    const removed: string[] = [];
    const failed: string[] = [];
    for (const symbol of symbols) {
      try {
        await remove.mutateAsync({ symbol, keep_candles: choice === 'keep' });
        removed.push(symbol);
      } catch (error) {
        failed.push(`${symbol}: ${friendlyMessage(error)}`);
      }
    }
    invalidate();
    onRemoved(removed);
    if (failed.length === 0) onClose();
    else setFailures(failed);
  };

  const option = (value: Choice, label: string, hint: string) => (
    <label className="flex cursor-pointer items-start gap-2.5 rounded-md border border-zinc-700 px-3 py-2.5 text-sm text-zinc-200 has-[:checked]:border-sky-500 has-[:checked]:bg-sky-500/10">
      <input
        type="radio"
        name="candles"
        value={value}
        checked={choice === value}
        onChange={() => setChoice(value)}
        className="mt-0.5 accent-sky-500"
      />
      <span>
        <span className="font-medium">{label}</span>
        <span className="block text-xs text-zinc-400">{hint}</span>
      </span>
    </label>
  );

  return (
    <Modal open onOpenChange={(open) => !open && onClose()} title={`Remove ${what}`} size="sm">
      <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-3 p-5">
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-2 text-sm text-zinc-300">
            {what} {one ? 'has' : 'have'} {formatInt(candles)} candles stored. What should happen to them?
          </legend>
          {option('keep', 'Keep candles', `Stored candles stay; add ${one ?? 'a symbol'} again to see them.`)}
          {option('delete', 'Delete candles', 'Candles, coverage and corporate actions are deleted for good.')}
        </fieldset>
        {failures.length > 0 && <FormAlert>Not removed: {failures.join('; ')}</FormAlert>}
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={choice === null || remove.isPending}>
            {choice === 'delete' ? 'Remove and delete candles' : choice === 'keep' ? 'Remove, keep candles' : 'Remove'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
