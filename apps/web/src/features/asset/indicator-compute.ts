import { BollingerBands, EMA, RSI, SMA } from 'trading-signals';
import type { IndicatorLines, IndicatorSpec, LinePoint } from './indicators';

/**
 * Kept apart from ./indicators (the specs and their labels) so trading-signals loads with the
 * lazily loaded chart, not with the page.
 */
/** `bars` oldest first; a point appears once the indicator has seen enough bars to be stable. */
export function computeIndicator(
  spec: IndicatorSpec,
  bars: readonly { time: number; close: number }[],
): IndicatorLines {
  const { kind, period } = spec;
  if (kind === 'BB') {
    const bb = new BollingerBands(period, 2);
    const upper: LinePoint[] = [];
    const middle: LinePoint[] = [];
    const lower: LinePoint[] = [];
    for (const b of bars) {
      const r = bb.update(b.close, false);
      if (!r || !bb.isStable) continue;
      upper.push({ time: b.time, value: r.upper });
      middle.push({ time: b.time, value: r.middle });
      lower.push({ time: b.time, value: r.lower });
    }
    return {
      spec,
      lines: [
        { name: 'upper', points: upper },
        { name: 'middle', points: middle },
        { name: 'lower', points: lower },
      ],
    };
  }
  const ind = kind === 'SMA' ? new SMA(period) : kind === 'EMA' ? new EMA(period) : new RSI(period);
  const points: LinePoint[] = [];
  for (const b of bars) {
    const v = ind.update(b.close, false);
    if (v !== null && ind.isStable && Number.isFinite(v)) points.push({ time: b.time, value: v });
  }
  return { spec, lines: [{ name: kind, points }] };
}
