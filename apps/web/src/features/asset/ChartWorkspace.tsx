import { type Adjust, type Candle, type SymbolSummary, symbolSchema, type Timeframe } from '@candlebase/contracts';
import { lazy, Suspense, useCallback, useId, useMemo, useState } from 'react';
import { friendlyMessage } from '../../lib/errors';
import { Button } from '../../ui/Button';
import { actionLabel, type ChartWorkspaceView, COMPARE_COLOR } from './chart-data';
import { IndicatorPicker } from './IndicatorPicker';
import type { IndicatorSpec } from './indicators';
import { useActions, useCompareCandles } from './queries';
import { type ChartZone, formatInZone, shownZone, zoneName } from './time-zone';

const CandleChart = lazy(() => import('./CandleChart'));

const FIELD =
  'h-7 rounded-md border border-zinc-700 bg-zinc-950 px-2 text-xs text-zinc-100 focus-visible:outline-2 focus-visible:outline-sky-400';
const SPANS: { label: string; days: number | null }[] = [
  { label: '1 day', days: 1 },
  { label: '1 week', days: 7 },
  { label: '1 month', days: 31 },
  { label: '3 months', days: 92 },
  { label: '1 year', days: 366 },
  { label: 'All loaded', days: null },
];
const ZONES: { value: ChartZone; label: string }[] = [
  { value: 'America/New_York', label: 'New York' },
  { value: 'UTC', label: 'UTC' },
];

export interface ChartWorkspaceProps {
  asset: SymbolSummary;
  timeframe: Timeframe;
  adjust: Adjust;
  intraday: boolean;
  /** Newest first. */
  candles: Candle[];
  /** The "Go to date" in force (YYYY-MM-DD), or null for the latest bars. */
  anchor: string | null;
  onAnchor: (date: string | null) => void;
  onNearOldest: () => void;
  /** The zone picked for times (the candle table below reads it too). */
  zone: ChartZone;
  onZone: (zone: ChartZone) => void;
}

/**
 * The Candle Data tab's chart: go to a date or pick a span, compare a second symbol, add
 * indicators, show times in New York or UTC, splits and dividends marked on the bars.
 */
export function ChartWorkspace(props: ChartWorkspaceProps) {
  const { asset, timeframe, adjust, intraday, candles, anchor, onAnchor, onNearOldest, zone, onZone } = props;
  const id = useId();
  const [date, setDate] = useState(anchor ?? '');
  const [span, setSpan] = useState<ChartWorkspaceView['span']>(null);
  const [indicators, setIndicators] = useState<IndicatorSpec[]>([]);
  const [compareText, setCompareText] = useState('');
  const [compareSymbol, setCompareSymbol] = useState<string | null>(null);
  const [compareError, setCompareError] = useState<string | null>(null);
  const [visible, setVisible] = useState<{ from: number; to: number } | null>(null);
  const actions = useActions(asset.symbol);

  const newest = candles[0]?.ts;
  const oldest = candles[candles.length - 1]?.ts;
  const held = useMemo(
    () => (newest && oldest ? { from: oldest, to: new Date(Date.parse(newest) + 1).toISOString() } : null),
    [newest, oldest],
  );
  const compared = useCompareCandles(compareSymbol, timeframe, adjust, held);
  const compare = useMemo(
    () => (compareSymbol && compared.data ? { symbol: compareSymbol, candles: compared.data.candles } : null),
    [compareSymbol, compared.data],
  );
  const onVisible = useCallback((r: { from: number; to: number }) => setVisible(r), []);
  const shown = shownZone(zone, intraday);
  // The chart redraws when this changes: a new array on every render would redraw it on every scroll.
  const marked = useMemo(
    () =>
      (actions.data ?? []).filter(
        (a) => oldest && newest && a.ex_date >= oldest.slice(0, 10) && a.ex_date <= newest.slice(0, 10),
      ),
    [actions.data, oldest, newest],
  );
  const view: ChartWorkspaceView = {
    candles,
    intraday,
    zone,
    compare,
    indicators,
    actions: marked,
    viewKey: `${asset.symbol}/${timeframe}/${adjust}/${anchor ?? 'latest'}`,
    span,
    label: `Candlestick chart of ${asset.symbol} with volume${compare ? `, compared with ${compare.symbol} in percent` : ''}`,
    onVisible,
    onNearOldest,
  };

  const submitCompare = () => {
    const parsed = symbolSchema.safeParse(compareText.trim().toUpperCase());
    if (!parsed.success) {
      setCompareError(parsed.error.issues[0]?.message ?? 'Not a symbol');
      return;
    }
    if (parsed.data === asset.symbol) {
      setCompareError(`Pick a symbol other than ${asset.symbol} to compare with.`);
      return;
    }
    setCompareError(null);
    setCompareSymbol(parsed.data);
  };

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <form
          className="flex items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (/^\d{4}-\d{2}-\d{2}$/.test(date)) onAnchor(date);
          }}
        >
          <label htmlFor={`${id}-date`} className="text-xs text-zinc-400">
            Go to date
          </label>
          <input
            id={`${id}-date`}
            type="date"
            className={FIELD}
            value={date}
            onChange={(e) => setDate(e.target.value)}
          />
          <Button size="sm" type="submit" disabled={date === ''}>
            Go
          </Button>
          <Button
            size="sm"
            variant="ghost"
            disabled={anchor === null}
            onClick={() => {
              setDate('');
              onAnchor(null);
            }}
          >
            Latest
          </Button>
        </form>
        <div className="flex items-center gap-2">
          <label htmlFor={`${id}-span`} className="text-xs text-zinc-400">
            Visible span
          </label>
          <select
            id={`${id}-span`}
            className={FIELD}
            defaultValue=""
            onChange={(e) => {
              const pick = SPANS.find((s) => s.label === e.target.value);
              if (pick) setSpan({ days: pick.days, seq: (span?.seq ?? 0) + 1 });
            }}
          >
            <option value="" disabled>
              Pick…
            </option>
            {SPANS.map((s) => (
              <option key={s.label}>{s.label}</option>
            ))}
          </select>
        </div>
        <div
          role="radiogroup"
          aria-label="Time zone"
          className="inline-flex rounded-md border border-zinc-700 bg-zinc-950 p-0.5"
        >
          {ZONES.map((z) => (
            <label
              key={z.value}
              title={intraday ? undefined : 'Daily bars are dated by their UTC day'}
              className={`cursor-pointer rounded px-2.5 py-1 text-xs has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-sky-400 ${zone === z.value ? 'bg-zinc-700 text-zinc-50' : 'text-zinc-400 hover:text-zinc-100'}`}
            >
              <input
                type="radio"
                name={`${id}-zone`}
                value={z.value}
                checked={zone === z.value}
                onChange={() => onZone(z.value)}
                className="sr-only"
              />
              {z.label}
            </label>
          ))}
        </div>
        <form
          className="flex items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            submitCompare();
          }}
        >
          <label htmlFor={`${id}-compare`} className="text-xs text-zinc-400">
            Compare with
          </label>
          <input
            id={`${id}-compare`}
            className={`${FIELD} w-24 font-mono uppercase`}
            value={compareText}
            placeholder="Symbol"
            aria-invalid={compareError !== null}
            onChange={(e) => setCompareText(e.target.value)}
          />
          <Button size="sm" type="submit" disabled={compareText.trim() === ''}>
            Compare
          </Button>
          {compareSymbol && (
            <Button
              size="sm"
              variant="ghost"
              onClick={() => {
                setCompareSymbol(null);
                setCompareText('');
              }}
            >
              Stop comparing
            </Button>
          )}
        </form>
      </div>
      <IndicatorPicker value={indicators} onChange={setIndicators} />
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-zinc-400">
        {/* Not live: it changes with every scroll. */}
        {visible && (
          <span data-testid="visible-range">
            Showing {formatInZone(visible.from, shown, intraday)} to {formatInZone(visible.to, shown, intraday)}{' '}
            {zoneName(shown)}
          </span>
        )}
        <span role="status" className="contents">
          {compareError && <span className="text-rose-300">{compareError}</span>}
          {compareSymbol && compared.isError && (
            <span className="text-rose-300">{friendlyMessage(compared.error)}</span>
          )}
          {compareSymbol && compared.data && (
            <span>
              <span
                aria-hidden
                className="mr-1 inline-block size-2 rounded-full"
                style={{ background: COMPARE_COLOR }}
              />
              {compared.data.candles.length === 0
                ? `No ${timeframe} candles for ${compareSymbol} in this span`
                : `${asset.symbol} and ${compareSymbol} in % from the first visible bar`}
            </span>
          )}
          {marked.length > 0 && (
            <span>Marked: {marked.map((a) => `${actionLabel(a)} on ${a.ex_date}`).join(', ')}</span>
          )}
        </span>
      </div>
      <div className="rounded-md border border-zinc-800 bg-zinc-950/60 p-2">
        <Suspense
          fallback={<div className="flex h-96 items-center justify-center text-sm text-zinc-400">Loading chart…</div>}
        >
          <CandleChart view={view} />
        </Suspense>
      </div>
    </div>
  );
}
