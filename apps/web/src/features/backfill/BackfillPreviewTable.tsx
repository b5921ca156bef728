import type { BackfillPreview } from '@candlebase/contracts';
import { formatDuration, formatInt, pluralize } from '../../lib/format';

/** `2024-01-01 14:30` (UTC) for a range boundary: minutes matter for intraday gaps. */
const instant = (iso: string) =>
  iso
    .replace('T', ' ')
    .replace(/:00\.000Z$|\.000Z$/, '')
    .replace(/ 00:00$/, '');

/** What the backfill would fetch, per symbol and timeframe, before it is started. */
export function BackfillPreviewTable({ preview }: { preview: BackfillPreview }) {
  return (
    <section aria-label="Backfill preview" className="flex flex-col gap-2 text-xs">
      <p className="text-zinc-300">
        {formatInt(preview.total_bars)} bars to fetch in {pluralize(preview.total_requests, 'request')}, about{' '}
        {formatDuration(preview.estimated_seconds)}
      </p>
      <div className="max-h-56 overflow-auto rounded-md border border-zinc-800">
        <table className="w-full text-left tabular-nums">
          <thead className="sticky top-0 bg-zinc-900 text-zinc-400">
            <tr>
              <th scope="col" className="px-2 py-1">
                Symbol
              </th>
              <th scope="col" className="px-2 py-1">
                Timeframe
              </th>
              <th scope="col" className="px-2 py-1">
                Ranges (UTC)
              </th>
              <th scope="col" className="px-2 py-1 text-right">
                Bars
              </th>
              <th scope="col" className="px-2 py-1 text-right">
                Requests
              </th>
            </tr>
          </thead>
          <tbody>
            {preview.items.map((item) => (
              <tr key={`${item.symbol} ${item.timeframe}`} className="border-t border-zinc-800 text-zinc-200">
                <td className="px-2 py-1">{item.symbol}</td>
                <td className="px-2 py-1">{item.timeframe}</td>
                <td className="px-2 py-1">
                  {item.ranges.length === 0
                    ? 'Already stored'
                    : item.ranges.map((r) => (
                        <div key={r.start}>
                          {instant(r.start)} to {instant(r.end)} ({formatInt(r.bars)})
                        </div>
                      ))}
                  <div className="text-zinc-500">{item.provider}</div>
                </td>
                <td className="px-2 py-1 text-right">{formatInt(item.bars)}</td>
                <td className="px-2 py-1 text-right">{formatInt(item.requests)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
