import { isoDate } from '@candlebase/contracts';

const PRESETS: [label: string, days: number][] = [
  ['7 days', 7],
  ['30 days', 30],
  ['90 days', 90],
  ['1 year', 365],
];

const inputClass =
  'h-8 w-full rounded-md border border-zinc-700 bg-zinc-950 px-2 text-sm tabular-nums text-zinc-100 [color-scheme:dark] focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500';

export function DateRangeFields({
  start,
  end,
  onChange,
}: {
  start: string;
  end: string;
  onChange: (range: { start: string; end: string }) => void;
}) {
  const preset = (days: number) => {
    const now = new Date();
    onChange({ start: isoDate(new Date(now.getTime() - days * 86_400_000)), end: isoDate(now) });
  };
  return (
    <div>
      <div className="grid grid-cols-2 gap-3">
        <div>
          <label htmlFor="backfill-start" className="mb-1.5 block text-xs font-medium text-zinc-300">
            Start date
          </label>
          <input
            id="backfill-start"
            type="date"
            value={start}
            onChange={(e) => onChange({ start: e.target.value, end })}
            className={inputClass}
          />
        </div>
        <div>
          <label htmlFor="backfill-end" className="mb-1.5 block text-xs font-medium text-zinc-300">
            End date
          </label>
          <input
            id="backfill-end"
            type="date"
            value={end}
            onChange={(e) => onChange({ start, end: e.target.value })}
            className={inputClass}
          />
        </div>
      </div>
      <div className="mt-1.5 flex items-center gap-1 text-[0.6875rem] text-zinc-400">
        <span className="mr-1">UTC, inclusive. Quick range:</span>
        {PRESETS.map(([label, days]) => (
          <button
            key={label}
            type="button"
            onClick={() => preset(days)}
            className="rounded px-1.5 py-0.5 text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100"
          >
            Last {label}
          </button>
        ))}
      </div>
    </div>
  );
}
