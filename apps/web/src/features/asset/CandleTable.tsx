import type { Candle } from '@candlebase/contracts';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { formatDateTime, formatInt, formatPrice } from '../../lib/format';
import { type ChartZone, zoneName } from './time-zone';

const ROW = 28;
const VALUES = ['Open', 'High', 'Low', 'Close', 'Volume'];

/** Newest first, virtualized: thousands of loaded candles stay cheap. Times in the chart's zone. */
export function CandleTable({ candles, zone }: { candles: Candle[]; zone: ChartZone }) {
  const columns = [`Time (${zoneName(zone)})`, ...VALUES];
  const scrollRef = useRef<HTMLElement>(null);
  const virtualizer = useVirtualizer({
    count: candles.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 15,
  });
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const last = items[items.length - 1];
  const bottom = last ? virtualizer.getTotalSize() - last.end : 0;

  return (
    // A scrolled region holding no control: focusable, so the keyboard can scroll it.
    <section
      ref={scrollRef}
      aria-label="Candle rows"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolled region must be reachable by keyboard
      tabIndex={0}
      className="max-h-64 overflow-auto rounded-md border border-zinc-800 focus-visible:outline-2 focus-visible:outline-sky-400"
    >
      <table
        aria-label="OHLCV"
        aria-rowcount={candles.length + 1}
        className="w-full border-separate border-spacing-0 text-xs tabular-nums"
      >
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th
                key={c}
                scope="col"
                className={`sticky top-0 border-b border-zinc-800 bg-zinc-900 px-3 py-1.5 font-semibold uppercase tracking-wider text-zinc-400 ${i === 0 ? 'w-56 text-left' : 'text-right'}`}
              >
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {top > 0 && (
            <tr>
              <td colSpan={columns.length} style={{ height: top }} />
            </tr>
          )}
          {items.map((item) => {
            const c = candles[item.index];
            if (!c) return null;
            const up = c.close >= c.open;
            return (
              <tr key={c.ts} aria-rowindex={item.index + 2} style={{ height: ROW }} className="hover:bg-zinc-800/40">
                <td className="border-b border-zinc-800/50 px-3 text-left text-zinc-400">
                  {formatDateTime(c.ts, zone)}
                </td>
                <td className="border-b border-zinc-800/50 px-3 text-right text-zinc-300">{formatPrice(c.open)}</td>
                <td className="border-b border-zinc-800/50 px-3 text-right text-zinc-300">{formatPrice(c.high)}</td>
                <td className="border-b border-zinc-800/50 px-3 text-right text-zinc-300">{formatPrice(c.low)}</td>
                <td
                  className={`border-b border-zinc-800/50 px-3 text-right font-medium ${up ? 'text-emerald-400' : 'text-rose-400'}`}
                >
                  {formatPrice(c.close)}
                </td>
                <td className="border-b border-zinc-800/50 px-3 text-right text-zinc-400">
                  {formatInt(Math.round(c.volume))}
                </td>
              </tr>
            );
          })}
          {bottom > 0 && (
            <tr>
              <td colSpan={columns.length} style={{ height: bottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
