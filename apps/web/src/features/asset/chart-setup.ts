import type { IChartApi, Time } from 'lightweight-charts';
import * as lc from 'lightweight-charts';
import { remToPx } from '../../lib/rem';
import { type ChartZone, formatInZone } from './time-zone';

/**
 * The one chart setup of the asset modal (Candle Data's workspace and Enrichment's indicators):
 * same colours, fonts, grid and time formatting, so the two tabs read alike.
 */
export const UP = '#34d399';
export const DOWN = '#fb7185';
export const CANDLE_STYLE = {
  upColor: UP,
  downColor: DOWN,
  borderVisible: false,
  wickUpColor: UP,
  wickDownColor: DOWN,
} as const;
/**
 * Overlays draw no label on the price axis: their titles and last values collided with the price
 * label there, so a legend above the chart names them instead.
 */
export const OVERLAY = { lineWidth: 1, priceLineVisible: false, lastValueVisible: false } as const;

const toDate = (t: Time) => new Date((t as number) * 1000);

/** Time axis and crosshair labels in `zone`: the library itself only knows UTC. */
export function zoneOptions(picked: ChartZone, intraday: boolean) {
  // A daily bar is stamped 00:00 UTC and stands for its date: New York would show the day before.
  const zone: ChartZone = intraday ? picked : 'UTC';
  const short = new Intl.DateTimeFormat('en-US', { timeZone: zone, month: 'short', day: 'numeric' });
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' });
  const year = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric' });
  return {
    localization: { timeFormatter: (t: Time) => formatInZone(toDate(t).getTime(), zone, intraday) },
    timeScale: {
      timeVisible: intraday,
      tickMarkFormatter: (t: Time, type: lc.TickMarkType) => {
        const d = toDate(t);
        if (type === lc.TickMarkType.Year) return year.format(d);
        if (type === lc.TickMarkType.Time || type === lc.TickMarkType.TimeWithSeconds) return clock.format(d);
        return short.format(d);
      },
    },
  };
}

export function createBaseChart(el: HTMLElement, zone: ChartZone, intraday: boolean): IChartApi {
  const z = zoneOptions(zone, intraday);
  return lc.createChart(el, {
    autoSize: true,
    layout: {
      background: { type: lc.ColorType.Solid, color: 'transparent' },
      textColor: '#a1a1aa',
      fontSize: remToPx(0.6875),
      attributionLogo: false,
      panes: { separatorColor: '#3f3f46', enableResize: false },
    },
    grid: { vertLines: { color: 'rgba(63,63,70,0.35)' }, horzLines: { color: 'rgba(63,63,70,0.35)' } },
    rightPriceScale: { borderColor: '#3f3f46', minimumWidth: remToPx(4) },
    localization: z.localization,
    timeScale: { ...z.timeScale, borderColor: '#3f3f46', secondsVisible: false },
    crosshair: { mode: lc.CrosshairMode.Normal },
  });
}

/**
 * The RSI pane: a fixed 0-100 scale with room above and below, so its axis labels (70, 30 and the
 * last value) are never cut off at the pane's edges, as they were with an auto-fitted scale.
 */
export function addRsiPane(chart: IChartApi, color: string, paneIndex: number) {
  const rsi = chart.addSeries(
    lc.LineSeries,
    {
      ...OVERLAY,
      color,
      lastValueVisible: true,
      autoscaleInfoProvider: () => ({ priceRange: { minValue: 0, maxValue: 100 } }),
    },
    paneIndex,
  );
  // A new pane copies the chart's right scale, percentage mode of a comparison included: not here.
  rsi.priceScale().applyOptions({ mode: lc.PriceScaleMode.Normal, scaleMargins: { top: 0.12, bottom: 0.12 } });
  for (const level of [70, 30]) {
    rsi.createPriceLine({
      price: level,
      color: '#52525b',
      lineWidth: 1,
      lineStyle: lc.LineStyle.Dotted,
      axisLabelVisible: true,
      title: '',
    });
  }
  const pane = chart.panes()[paneIndex];
  pane?.setHeight(remToPx(7));
  return rsi;
}
