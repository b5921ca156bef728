import { TIMEFRAME_LIST, TIMEFRAMES } from '@candlebase/contracts';

export function TimeframePicker({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  return (
    <fieldset>
      <legend className="mb-1.5 text-xs font-medium text-zinc-300">Timeframes</legend>
      <div className="flex flex-wrap gap-2">
        {TIMEFRAME_LIST.map((tf) => {
          const checked = value.includes(tf);
          return (
            <label
              key={tf}
              title={TIMEFRAMES[tf].label}
              className={`inline-flex cursor-pointer select-none items-center gap-2 rounded-md border px-3 py-1.5 font-mono text-sm transition-colors ${checked ? 'border-sky-500/70 bg-sky-500/10 text-sky-200' : 'border-zinc-700 bg-zinc-950 text-zinc-300 hover:border-zinc-600'}`}
            >
              <input
                type="checkbox"
                checked={checked}
                onChange={(e) =>
                  onChange(
                    e.target.checked
                      ? TIMEFRAME_LIST.filter((t) => t === tf || value.includes(t))
                      : value.filter((t) => t !== tf),
                  )
                }
                className="size-3.5 accent-sky-500"
              />
              {tf}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
