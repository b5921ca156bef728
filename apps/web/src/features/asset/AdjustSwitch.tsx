import { ADJUST_MODES, type Adjust } from '@candlebase/contracts';

const LABELS: Record<Adjust, { label: string; title: string }> = {
  none: { label: 'None', title: 'Prices as traded, with the steps of splits left in' },
  splits: { label: 'Splits', title: 'Earlier prices divided by later splits (what charting platforms show)' },
  all: { label: 'All', title: 'Splits and dividends: total-return prices' },
};

/** How the Candle Data tab adjusts prices: a radio group styled as the timeframe switch beside it. */
export function AdjustSwitch({ value, onChange }: { value: Adjust; onChange: (adjust: Adjust) => void }) {
  return (
    <div
      role="radiogroup"
      aria-label="Adjust"
      className="inline-flex items-center rounded-md border border-zinc-700 bg-zinc-950 p-0.5"
    >
      <span aria-hidden className="px-2 text-[0.625rem] font-medium uppercase tracking-wider text-zinc-400">
        Adjust
      </span>
      {ADJUST_MODES.map((mode) => (
        <label
          key={mode}
          title={LABELS[mode].title}
          className={`cursor-pointer rounded px-2.5 py-1 text-xs has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-sky-400 ${value === mode ? 'bg-zinc-700 text-zinc-50' : 'text-zinc-400 hover:text-zinc-100'}`}
        >
          <input
            type="radio"
            name="candle-adjust"
            value={mode}
            checked={value === mode}
            onChange={() => onChange(mode)}
            className="sr-only"
          />
          {LABELS[mode].label}
        </label>
      ))}
    </div>
  );
}
