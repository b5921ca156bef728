import { type SymbolSummary, TIMEFRAME_LIST, type Timeframe } from '@candlebase/contracts';
import { formatInt } from '../../lib/format';

export interface TimeframeSwitchProps {
  /** Radio group name, unique per tab so two switches never share a selection. */
  name: string;
  value: Timeframe;
  onChange: (tf: Timeframe) => void;
  /** When given, timeframes without candles are dimmed and each shows its count as a tooltip. */
  asset?: SymbolSummary;
}

/** The asset tabs' timeframe picker: a radio group styled as a segmented control. */
export function TimeframeSwitch({ name, value, onChange, asset }: TimeframeSwitchProps) {
  return (
    <div
      role="radiogroup"
      aria-label="Timeframe"
      className="inline-flex rounded-md border border-zinc-700 bg-zinc-950 p-0.5"
    >
      {TIMEFRAME_LIST.map((tf) => {
        const count = asset ? (asset.coverage.find((c) => c.timeframe === tf)?.count ?? 0) : null;
        const idle =
          count === null
            ? 'text-zinc-400 hover:text-zinc-100'
            : count > 0
              ? 'text-zinc-300 hover:text-zinc-100'
              : 'text-zinc-400 hover:text-zinc-200';
        return (
          <label
            key={tf}
            title={count === null ? undefined : `${formatInt(count)} candles`}
            className={`cursor-pointer rounded px-2.5 py-1 font-mono text-xs has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-sky-400 ${value === tf ? 'bg-zinc-700 text-zinc-50' : idle}`}
          >
            <input
              type="radio"
              name={name}
              value={tf}
              checked={value === tf}
              onChange={() => onChange(tf)}
              className="sr-only"
            />
            {tf}
          </label>
        );
      })}
    </div>
  );
}
