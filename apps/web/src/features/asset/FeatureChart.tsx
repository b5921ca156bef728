import type { FeaturePoint } from '@candlebase/contracts';
import { CandlestickSeries, LineSeries, LineStyle, type UTCTimestamp } from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import { addRsiPane, CANDLE_STYLE, createBaseChart, OVERLAY } from './chart-setup';
import { FEATURE_LEGEND } from './feature-legend';

/**
 * Price with the server's EMA and Bollinger overlays, RSI in its own pane: the same chart setup as
 * the Candle Data workspace, loaded lazily with the chart library.
 */
export default function FeatureChart({ series, intraday }: { series: FeaturePoint[]; intraday: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = createBaseChart(el, 'UTC', intraday);
    const t = (p: FeaturePoint) => Math.floor(Date.parse(p.ts) / 1000) as UTCTimestamp;
    const line = (pick: (p: FeaturePoint) => number | null) =>
      series.flatMap((p) => {
        const value = pick(p);
        return value === null ? [] : [{ time: t(p), value }];
      });
    chart
      .addSeries(CandlestickSeries, CANDLE_STYLE)
      .setData(series.map((p) => ({ time: t(p), open: p.open, high: p.high, low: p.low, close: p.close })));
    const [ema20, ema50, bands, rsi] = FEATURE_LEGEND;
    chart.addSeries(LineSeries, { ...OVERLAY, color: ema20.color }).setData(line((p) => p.ema_20));
    chart.addSeries(LineSeries, { ...OVERLAY, color: ema50.color }).setData(line((p) => p.ema_50));
    const band = { ...OVERLAY, color: bands.color, lineStyle: LineStyle.Dashed };
    chart.addSeries(LineSeries, band).setData(line((p) => p.bb_upper));
    chart.addSeries(LineSeries, band).setData(line((p) => p.bb_lower));
    addRsiPane(chart, rsi.color, 1).setData(line((p) => p.rsi_14));
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [series, intraday]);
  return (
    <div
      ref={ref}
      className="h-96 w-full"
      role="img"
      aria-label="Price with EMA 20, EMA 50 and Bollinger bands; RSI 14 below"
    />
  );
}
