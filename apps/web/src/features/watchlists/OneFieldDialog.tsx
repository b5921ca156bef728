import { type FormEvent, useRef, useState } from 'react';
import { friendlyMessage } from '../../lib/errors';
import { Button } from '../../ui/Button';
import { Modal } from '../../ui/Modal';
import { FormAlert, INPUT_CLASS } from './parts';

/** A contract's zod schema, as far as this dialog reads it. */
interface TextSchema<T> {
  safeParse(text: string): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } };
}

/**
 * A dialog of one text field: checked against the contract's schema before it is sent, saved, then
 * closed; the schema's or the server's words shown in its alert otherwise.
 */
export function OneFieldDialog<T>({
  title,
  description,
  label,
  initial = '',
  schema,
  invalid,
  save,
  pending,
  submitLabel,
  maxLength,
  code = false,
  onClose,
}: {
  title: string;
  description?: string;
  label: string;
  initial?: string;
  schema: TextSchema<T>;
  /** Said when the schema gives no message of its own. */
  invalid: string;
  save: (value: T) => Promise<void>;
  pending: boolean;
  submitLabel: string;
  maxLength?: number;
  /** A symbol: upper case, no spelling check. */
  code?: boolean;
  onClose: () => void;
}) {
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = schema.safeParse(text);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? invalid);
      return;
    }
    try {
      await save(parsed.data);
      onClose();
    } catch (err) {
      setError(friendlyMessage(err));
    }
  };

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title={title}
      description={description}
      size="sm"
      initialFocus={() => input.current}
    >
      <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-3 p-5">
        <label className="flex flex-col gap-1 text-sm text-zinc-300">
          {label}
          <input
            ref={input}
            value={text}
            maxLength={maxLength}
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
            }}
            autoComplete="off"
            spellCheck={code ? false : undefined}
            aria-invalid={error !== null}
            className={code ? `${INPUT_CLASS} uppercase` : INPUT_CLASS}
          />
        </label>
        {error && <FormAlert>{error}</FormAlert>}
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" disabled={pending || text.trim() === ''}>
            {submitLabel}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
