import { symbolSchema } from '@candlebase/contracts';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { friendlyMessage } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../../ui/Button';
import { Modal } from '../../ui/Modal';
import { FormAlert, INPUT_CLASS } from './parts';
import { useInvalidateSymbols } from './queries';

/** A ticker change (FB -> META): candles, coverage, actions, job history and lists all follow. */
export function RenameSymbolDialog({
  symbol,
  onClose,
  onRenamed,
}: {
  symbol: string;
  onClose: () => void;
  onRenamed: (from: string, to: string) => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidateSymbols();
  const rename = useMutation(trpc.symbols.rename.mutationOptions({ meta: { handlesErrors: true } }));
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = symbolSchema.safeParse(text);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Invalid symbol');
      return;
    }
    try {
      const renamed = await rename.mutateAsync({ symbol, to: parsed.data });
      invalidate();
      onRenamed(symbol, renamed.symbol);
      onClose();
    } catch (err) {
      setError(friendlyMessage(err));
    }
  };

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Rename ${symbol}`}
      description="Its candles, coverage, corporate actions, job history and lists move to the new name."
      size="sm"
      initialFocus={() => input.current}
    >
      <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-3 p-5">
        <label className="flex flex-col gap-1 text-sm text-zinc-300">
          New symbol
          <input
            ref={input}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
            }}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error !== null}
            className={`${INPUT_CLASS} uppercase`}
          />
        </label>
        {error && <FormAlert>{error}</FormAlert>}
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" disabled={rename.isPending || text.trim() === ''}>
            Rename
          </Button>
        </div>
      </form>
    </Modal>
  );
}
