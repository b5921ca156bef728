import type { UploadPreview } from '@candlebase/contracts';
import { formatInt, formatPrice, formatUtc } from '../../lib/format';

const plural = (n: number, word: string) => `${formatInt(n)} ${word}${n === 1 ? '' : 's'}`;

/** The file as it will be stored: count and range, the first bars, and every refused row by line. */
export function PreviewView({ preview: p }: { preview: UploadPreview }) {
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-zinc-200">
        {plural(p.rows, 'bar')} of {p.symbol} {p.timeframe}
        {p.first ? `, ${formatUtc(p.first)} to ${formatUtc(p.last)} UTC` : ''}. Read as {p.layout}
        {p.timezone ? `, times in ${p.timezone}` : ''}
        {p.skipped > 0 ? `; ${plural(p.skipped, 'row')} without prices skipped` : ''}.
      </p>
      {p.error_count > 0 && (
        <div className="rounded-md border border-amber-500/40 bg-amber-500/10 px-3 py-2 text-sm text-amber-100">
          <p>
            {plural(p.error_count, 'row')} refused: fix {p.error_count === 1 ? 'it' : 'them'} and upload the file again
            (nothing is imported from a file with refused rows).
          </p>
          <ul aria-label="Refused rows" className="mt-1 max-h-32 list-disc overflow-y-auto pl-5 text-xs">
            {p.errors.map((e) => (
              <li key={e.line}>
                Line {e.line}: {e.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {p.notes.map((n) => (
        <p key={n} className="text-xs text-zinc-400">
          {n}
        </p>
      ))}
      {p.sample.length > 0 && (
        <div className="max-h-56 overflow-auto rounded-md border border-zinc-800">
          <table aria-label="Preview rows" className="w-full text-xs tabular-nums">
            <thead className="sticky top-0 bg-zinc-900 text-left text-[0.6875rem] uppercase tracking-wider text-zinc-400">
              <tr>
                {['Time (UTC)', 'Open', 'High', 'Low', 'Close', 'Volume'].map((h) => (
                  <th key={h} scope="col" className="px-2 py-1 font-semibold">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {p.sample.map((c) => (
                <tr key={c.ts} className="border-t border-zinc-800/60 text-zinc-300">
                  <td className="px-2 py-1 font-mono">{formatUtc(c.ts)}</td>
                  <td className="px-2 py-1">{formatPrice(c.open)}</td>
                  <td className="px-2 py-1">{formatPrice(c.high)}</td>
                  <td className="px-2 py-1">{formatPrice(c.low)}</td>
                  <td className="px-2 py-1">{formatPrice(c.close)}</td>
                  <td className="px-2 py-1">{formatInt(c.volume)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
