import type { Candle } from '@candlebase/contracts';
import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  createChart,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef } from 'react';

const UP = '#34d399';
const DOWN = '#fb7185';

/** Oldest first, one bar per time: what lightweight-charts requires. */
function toBars(candles: Candle[]) {
  const byTime = new Map<number, Candle>();
  for (const c of candles) byTime.set(Math.floor(Date.parse(c.ts) / 1000), c);
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]);
}

/** Loaded lazily with the chart library: only the Candle Data tab pays for it. */
export default function CandleChart({ candles, intraday }: { candles: Candle[]; intraday: boolean }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<{
    chart: IChartApi;
    price: ISeriesApi<'Candlestick'>;
    volume: ISeriesApi<'Histogram'>;
  } | null>(null);

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const chart = createChart(el, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: 'transparent' },
        textColor: '#a1a1aa',
        fontSize: 11,
        attributionLogo: false,
      },
      grid: { vertLines: { color: 'rgba(63,63,70,0.35)' }, horzLines: { color: 'rgba(63,63,70,0.35)' } },
      rightPriceScale: { borderColor: '#3f3f46' },
      timeScale: { borderColor: '#3f3f46', timeVisible: true, secondsVisible: false },
      crosshair: { mode: CrosshairMode.Normal },
    });
    const price = chart.addSeries(CandlestickSeries, {
      upColor: UP,
      downColor: DOWN,
      borderVisible: false,
      wickUpColor: UP,
      wickDownColor: DOWN,
    });
    const volume = chart.addSeries(HistogramSeries, {
      priceFormat: { type: 'volume' },
      priceScaleId: 'volume',
      lastValueVisible: false,
      priceLineVisible: false,
    });
    chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    price.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.25 } });
    chartRef.current = { chart, price, volume };
    return () => {
      chartRef.current = null;
      chart.remove();
    };
  }, []);

  useEffect(() => {
    const c = chartRef.current;
    if (!c) return;
    c.chart.applyOptions({ timeScale: { timeVisible: intraday } });
    const bars = toBars(candles);
    c.price.setData(
      bars.map(([t, k]) => ({ time: t as UTCTimestamp, open: k.open, high: k.high, low: k.low, close: k.close })),
    );
    c.volume.setData(
      bars.map(([t, k]) => ({
        time: t as UTCTimestamp,
        value: k.volume,
        color: k.close >= k.open ? 'rgba(52,211,153,0.35)' : 'rgba(251,113,133,0.35)',
      })),
    );
    c.chart.timeScale().fitContent();
  }, [candles, intraday]);

  return <div ref={containerRef} className="h-72 w-full" role="img" aria-label="Candlestick chart with volume" />;
}
