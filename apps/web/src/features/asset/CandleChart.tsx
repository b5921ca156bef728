import type { CorporateAction } from '@candlebase/contracts';
import {
  CandlestickSeries,
  createSeriesMarkers,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  LineSeries,
  LineStyle,
  PriceScaleMode,
  type SeriesType,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import {
  actionLabel,
  type ChartWorkspaceView,
  COMPARE_COLOR,
  indicatorColor,
  toBars,
  visibleTimes,
} from './chart-data';
import { addRsiPane, CANDLE_STYLE, createBaseChart, OVERLAY, zoneOptions } from './chart-setup';
import { computeIndicator } from './indicator-compute';

/** Bars shown when a series first opens or after "Go to date": enough to read candles. */
const FIRST_VIEW_BARS = 160;
/** Fetch the next older page once the left edge comes this close to the oldest bar held. */
const NEAR_LEFT_EDGE = 20;

interface Refs {
  chart: IChartApi;
  price: ISeriesApi<'Candlestick'>;
  volume: ISeriesApi<'Histogram'>;
  markers: ISeriesMarkersPluginApi<Time>;
  extra: ISeriesApi<SeriesType>[];
  /** The times (s) of the bars drawn, oldest first. */
  times: number[];
}

/** The day a split or dividend takes effect, as the time of the first bar on or after it. */
function markerTime(a: CorporateAction, times: readonly number[], intraday: boolean): number | null {
  const at = Date.parse(`${a.ex_date}T${intraday ? '04' : '00'}:00:00Z`) / 1000;
  const t = times.find((x) => x >= at);
  return t !== undefined && t - at < 4 * 86_400 ? t : null;
}

/** Loaded lazily with the chart library: only the tabs with a chart pay for it. */
export default function CandleChart({ view }: { view: ChartWorkspaceView }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const refs = useRef<Refs | null>(null);
  const shownKey = useRef<string | null>(null);
  const latest = useRef(view);
  latest.current = view;

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const chart = createBaseChart(el, latest.current.zone, latest.current.intraday);
    const price = chart.addSeries(CandlestickSeries, CANDLE_STYLE);
    const volume = chart.addSeries(HistogramSeries, {
      priceFormat: { type: 'volume' },
      priceScaleId: 'volume',
      lastValueVisible: false,
      priceLineVisible: false,
    });
    chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    price.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.25 } });
    const markers = createSeriesMarkers(price, []);
    const r: Refs = { chart, price, volume, markers, extra: [], times: [] };
    refs.current = r;
    const onRange = () => {
      const v = latest.current;
      const logical = chart.timeScale().getVisibleLogicalRange();
      if (!logical) return;
      const shown = visibleTimes(r.times, logical);
      if (shown) v.onVisible(shown);
      if (logical.from < NEAR_LEFT_EDGE) v.onNearOldest();
    };
    chart.timeScale().subscribeVisibleLogicalRangeChange(onRange);
    return () => {
      chart.timeScale().unsubscribeVisibleLogicalRangeChange(onRange);
      refs.current = null;
      chart.remove();
    };
  }, []);

  const { candles, intraday, zone, compare, indicators, actions, viewKey, span } = view;
  useEffect(() => {
    const r = refs.current;
    if (!r) return;
    const { chart } = r;
    chart.applyOptions(zoneOptions(zone, intraday));
    const bars = toBars(candles);
    const keep = shownKey.current === viewKey ? chart.timeScale().getVisibleRange() : null;
    for (const s of r.extra) chart.removeSeries(s);
    r.extra = [];
    while (chart.panes().length > 1) chart.removePane(chart.panes().length - 1);

    const time = (t: number) => t as UTCTimestamp;
    r.price.setData(bars.map((b) => ({ ...b, time: time(b.time) })));
    r.volume.setData(
      bars.map((b) => ({
        time: time(b.time),
        value: b.volume,
        color: b.close >= b.open ? 'rgba(52,211,153,0.35)' : 'rgba(251,113,133,0.35)',
      })),
    );
    // Compared, both series start at 0% on the first visible bar (the library's percentage mode).
    chart.priceScale('right').applyOptions({ mode: compare ? PriceScaleMode.Percentage : PriceScaleMode.Normal });
    if (compare) {
      const line = chart.addSeries(LineSeries, { ...OVERLAY, lineWidth: 2, color: COMPARE_COLOR });
      line.setData(toBars(compare.candles).map((b) => ({ time: time(b.time), value: b.close })));
      r.extra.push(line);
    }
    indicators.forEach((spec, i) => {
      const color = indicatorColor(i);
      const out = computeIndicator(spec, bars);
      if (spec.kind === 'RSI') {
        const paneIndex = chart.panes().length;
        const rsi = addRsiPane(chart, color, paneIndex);
        rsi.setData(out.lines[0]?.points.map((p) => ({ time: time(p.time), value: p.value })) ?? []);
        r.extra.push(rsi);
        return;
      }
      for (const l of out.lines) {
        const s = chart.addSeries(LineSeries, {
          ...OVERLAY,
          color,
          ...(spec.kind === 'BB' && l.name !== 'middle' ? { lineStyle: LineStyle.Dashed } : {}),
        });
        s.setData(l.points.map((p) => ({ time: time(p.time), value: p.value })));
        r.extra.push(s);
      }
    });
    const times = bars.map((b) => b.time);
    r.times = times;
    r.markers.setMarkers(
      actions.flatMap((a) => {
        const t = markerTime(a, times, intraday);
        if (t === null) return [];
        return [
          {
            time: time(t),
            position: 'belowBar' as const,
            shape: a.kind === 'split' ? ('arrowUp' as const) : ('circle' as const),
            color: a.kind === 'split' ? '#fbbf24' : '#38bdf8',
            text: actionLabel(a),
          },
        ];
      }),
    );
    if (keep) {
      chart.timeScale().setVisibleRange(keep);
    } else if (bars.length > 0) {
      const first = { from: bars.length - FIRST_VIEW_BARS, to: bars.length + 2 };
      chart.timeScale().setVisibleLogicalRange(first);
      // Said now: the chart reports its range only once it has a width, which may be later.
      const shown = visibleTimes(times, first);
      if (shown) latest.current.onVisible(shown);
    }
    shownKey.current = viewKey;
  }, [candles, intraday, zone, compare, indicators, actions, viewKey]);

  // A picked span ends at the right edge of what is on screen now.
  useEffect(() => {
    const r = refs.current;
    if (!r || !span) return;
    const range = r.chart.timeScale().getVisibleRange();
    // Only a new pick moves the view; new pages alone do not: the bars are read, not watched.
    const bars = toBars(latest.current.candles);
    if (span.days === null || !range) {
      r.chart.timeScale().fitContent();
      return;
    }
    const to = range.to as number;
    const first = bars[0]?.time ?? to;
    r.chart.timeScale().setVisibleRange({
      from: Math.max(first, to - span.days * 86_400) as UTCTimestamp,
      to: to as UTCTimestamp,
    });
  }, [span]);

  return <div ref={containerRef} className="h-96 w-full" role="img" aria-label={view.label} />;
}
