import { type SymbolLookup, symbolSchema } from '@candlebase/contracts';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { friendlyMessage } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../../ui/Button';
import { Modal } from '../../ui/Modal';
import { FormAlert, FormNote, INPUT_CLASS } from './parts';
import { useInvalidateSymbols } from './queries';

type Outcome =
  | { kind: 'none' }
  | { kind: 'added'; symbol: string; lookup: SymbolLookup }
  | { kind: 'unknown'; lookup: SymbolLookup }
  | { kind: 'error'; message: string };

/**
 * Looks the symbol up at the provider it would be fetched from before adding it, so a typo is
 * caught before it becomes a row; the provider's words are shown, and "Add anyway" overrides them.
 * Stays open after an add, for the next symbol.
 */
export function AddSymbolDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateSymbols();
  const lookup = useMutation(trpc.symbols.lookup.mutationOptions({ meta: { handlesErrors: true } }));
  const add = useMutation(trpc.symbols.add.mutationOptions({ meta: { handlesErrors: true } }));
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });
  const input = useRef<HTMLInputElement>(null);
  const busy = lookup.isPending || add.isPending;

  const run = async (force: boolean) => {
    const parsed = symbolSchema.safeParse(text);
    if (!parsed.success) {
      setOutcome({ kind: 'error', message: parsed.error.issues[0]?.message ?? 'Invalid symbol' });
      return;
    }
    const symbol = parsed.data;
    try {
      const found = await lookup.mutateAsync({ symbol });
      if (found.exists === false && !force) {
        setOutcome({ kind: 'unknown', lookup: found });
        return;
      }
      await add.mutateAsync({ symbol, force: force || undefined });
      invalidate();
      setOutcome({ kind: 'added', symbol, lookup: found });
      setText('');
      input.current?.focus();
    } catch (error) {
      setOutcome({ kind: 'error', message: friendlyMessage(error) });
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(false);
  };

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title="Add symbol"
      description="Checked with the provider it will be fetched from before it is added."
      size="sm"
      initialFocus={() => input.current}
    >
      <form onSubmit={submit} className="flex flex-col gap-3 p-5">
        <label className="flex flex-col gap-1 text-sm text-zinc-300">
          Symbol
          <input
            ref={input}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              if (outcome.kind === 'unknown' || outcome.kind === 'error') setOutcome({ kind: 'none' });
            }}
            autoComplete="off"
            spellCheck={false}
            placeholder="AAPL, BTC-USD, EUR-USD"
            aria-invalid={outcome.kind === 'error' || outcome.kind === 'unknown'}
            className={`${INPUT_CLASS} uppercase placeholder:normal-case placeholder:text-zinc-500`}
          />
        </label>
        {outcome.kind === 'error' && <FormAlert>{outcome.message}</FormAlert>}
        {outcome.kind === 'unknown' && (
          <FormAlert>
            {outcome.lookup.message}. Check the spelling, or add it anyway if {outcome.lookup.provider} is wrong.
          </FormAlert>
        )}
        {outcome.kind === 'added' && (
          <FormNote tone={outcome.lookup.demo ? 'warn' : 'info'}>
            Added {outcome.symbol}. {outcome.lookup.message}.
          </FormNote>
        )}
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose}>
            Done
          </Button>
          {outcome.kind === 'unknown' && (
            <Button variant="danger" onClick={() => void run(true)} disabled={busy}>
              Add anyway
            </Button>
          )}
          <Button type="submit" variant="primary" disabled={busy || text.trim() === ''}>
            {busy ? 'Checking…' : 'Add'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
