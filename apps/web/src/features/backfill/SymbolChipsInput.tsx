import { normalizeSymbols, SYMBOL_PATTERN, splitSymbols } from '@candlebase/contracts';
import type { KeyboardEvent } from 'react';
import { formatInt } from '../../lib/format';

const SEPARATOR = /[\s,;]/;

/** The Symbols field's id: the backfill form opens with focus here. */
export const SYMBOLS_INPUT_ID = 'backfill-symbols';

export interface SymbolChipsInputProps {
  chips: string[];
  onChipsChange: (chips: string[]) => void;
  /** Typed text not yet turned into a chip; it still counts when the form is sent. */
  text: string;
  onTextChange: (text: string) => void;
}

/** Comma or space separated symbols become chips on Enter, comma, space or blur. */
export function SymbolChipsInput({ chips, onChipsChange, text, onTextChange }: SymbolChipsInputProps) {
  const id = SYMBOLS_INPUT_ID;
  const add = (raw: string) => {
    const more = splitSymbols(raw);
    if (more.length > 0) onChipsChange(normalizeSymbols([...chips, ...more]));
  };

  const onChange = (value: string) => {
    if (!SEPARATOR.test(value)) {
      onTextChange(value);
      return;
    }
    // Everything before the last separator is complete; the rest is still being typed.
    const cut = Math.max(
      value.lastIndexOf(','),
      value.lastIndexOf(' '),
      value.lastIndexOf(';'),
      value.lastIndexOf('\n'),
    );
    add(value.slice(0, cut));
    onTextChange(value.slice(cut + 1).trimStart());
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' && text.trim()) {
      e.preventDefault();
      add(text);
      onTextChange('');
    } else if (e.key === 'Backspace' && text === '' && chips.length > 0) {
      onChipsChange(chips.slice(0, -1));
    }
  };

  return (
    <div>
      <div className="mb-1.5 flex items-center justify-between">
        <label htmlFor={id} className="text-xs font-medium text-zinc-300">
          Symbols
        </label>
        <div className="flex items-center gap-3 text-xs">
          <span className="tabular-nums text-zinc-400">{formatInt(chips.length)} added</span>
          {chips.length > 0 && (
            <button
              type="button"
              onClick={() => onChipsChange([])}
              className="text-zinc-400 hover:text-zinc-100 hover:underline"
            >
              Clear all
            </button>
          )}
        </div>
      </div>
      <div className="flex max-h-36 flex-wrap items-center gap-1.5 overflow-y-auto rounded-md border border-zinc-700 bg-zinc-950 p-1.5 focus-within:border-sky-500 focus-within:ring-1 focus-within:ring-sky-500">
        {chips.map((s) => {
          // A chip the request would refuse is marked where it sits, not only named in the alert.
          const bad = !SYMBOL_PATTERN.test(s);
          return (
            <span
              key={s}
              data-invalid={bad || undefined}
              title={bad ? 'Not a valid symbol' : undefined}
              className={`inline-flex items-center gap-1 rounded py-0.5 pl-2 pr-1 font-mono text-xs ring-1 ring-inset ${bad ? 'bg-rose-500/15 text-rose-200 ring-rose-500/60 line-through decoration-rose-400/70' : 'bg-zinc-800 text-zinc-100 ring-zinc-700'}`}
            >
              {s}
              {bad && <span className="sr-only"> (invalid)</span>}
              <button
                type="button"
                aria-label={`Remove ${s}`}
                onClick={() => onChipsChange(chips.filter((c) => c !== s))}
                className="rounded px-1 text-zinc-400 hover:bg-zinc-700 hover:text-zinc-100"
              >
                ×
              </button>
            </span>
          );
        })}
        <input
          id={id}
          value={text}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => {
            if (text.trim()) {
              add(text);
              onTextChange('');
            }
          }}
          placeholder={chips.length === 0 ? 'AAPL, MSFT, BTC-USD' : ''}
          autoComplete="off"
          spellCheck={false}
          className="h-7 min-w-32 flex-1 bg-transparent px-1.5 font-mono text-sm uppercase text-zinc-100 placeholder:normal-case placeholder:text-zinc-600 focus:outline-none"
        />
      </div>
      <p className="mt-1 text-[0.6875rem] text-zinc-400">
        Separate with commas or spaces; press Enter to add. Unknown symbols are added to the watchlist.
      </p>
    </div>
  );
}
