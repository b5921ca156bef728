import { useId, useState } from 'react';
import { Button } from '../../ui/Button';
import { indicatorColor } from './chart-data';
import {
  INDICATOR_KINDS,
  INDICATOR_NAMES,
  type IndicatorKind,
  type IndicatorSpec,
  indicatorLabel,
  MAX_PERIOD,
  MIN_PERIOD,
  parsePeriod,
} from './indicators';

const DEFAULT_PERIOD: Record<IndicatorKind, number> = { SMA: 20, EMA: 20, BB: 20, RSI: 14 };
const FIELD =
  'h-7 rounded-md border border-zinc-700 bg-zinc-950 px-2 text-xs text-zinc-100 focus-visible:outline-2 focus-visible:outline-sky-400';

/** Add an indicator with its period, remove one; the list doubles as the chart's legend. */
export function IndicatorPicker({
  value,
  onChange,
}: {
  value: IndicatorSpec[];
  onChange: (next: IndicatorSpec[]) => void;
}) {
  const id = useId();
  const [kind, setKind] = useState<IndicatorKind>('EMA');
  const [period, setPeriod] = useState(String(DEFAULT_PERIOD.EMA));
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    const p = parsePeriod(period);
    if (p === null) {
      setError(`Period must be a whole number from ${MIN_PERIOD} to ${MAX_PERIOD}.`);
      return;
    }
    if (value.some((s) => s.kind === kind && s.period === p)) {
      setError(`${indicatorLabel({ kind, period: p })} is already on the chart.`);
      return;
    }
    setError(null);
    onChange([...value, { kind, period: p }]);
  };
  return (
    <div className="flex flex-wrap items-center gap-2">
      {/* Our own check names the allowed range; the browser's would only outline the field. */}
      <form
        noValidate
        className="flex items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <label htmlFor={`${id}-kind`} className="text-xs text-zinc-400">
          Indicator
        </label>
        <select
          id={`${id}-kind`}
          className={FIELD}
          value={kind}
          onChange={(e) => {
            const k = e.target.value as IndicatorKind;
            setKind(k);
            setPeriod(String(DEFAULT_PERIOD[k]));
          }}
        >
          {INDICATOR_KINDS.map((k) => (
            <option key={k} value={k}>
              {k} · {INDICATOR_NAMES[k]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-period`} className="text-xs text-zinc-400">
          Period
        </label>
        <input
          id={`${id}-period`}
          type="number"
          min={MIN_PERIOD}
          max={MAX_PERIOD}
          step={1}
          className={`${FIELD} w-16 font-mono`}
          value={period}
          aria-invalid={error !== null}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => setPeriod(e.target.value)}
        />
        <Button size="sm" type="submit">
          Add indicator
        </Button>
      </form>
      {error && (
        <span id={`${id}-error`} role="alert" className="text-xs text-rose-300">
          {error}
        </span>
      )}
      {value.length > 0 && (
        <ul aria-label="Indicators on the chart" className="flex flex-wrap gap-1.5">
          {value.map((s, i) => (
            <li
              key={indicatorLabel(s)}
              className="inline-flex items-center gap-1 rounded-full border border-zinc-700 py-0.5 pl-2 pr-0.5 font-mono text-xs text-zinc-200"
            >
              <span aria-hidden className="size-2 rounded-full" style={{ background: indicatorColor(i) }} />
              {indicatorLabel(s)}
              <button
                type="button"
                aria-label={`Remove ${indicatorLabel(s)}`}
                className="rounded-full px-1.5 text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100 focus-visible:outline-2 focus-visible:outline-sky-400"
                onClick={() => onChange(value.filter((x) => x !== s))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
