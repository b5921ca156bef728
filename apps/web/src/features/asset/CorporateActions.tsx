import type { CorporateAction } from '@candlebase/contracts';
import { friendlyMessage } from '../../lib/errors';
import { useActions } from './queries';

/** A split as people write it: 4:1, or 1:10 for a reverse split. */
export function splitLabel(ratio: number): string {
  const [n, d] = ratio >= 1 ? [ratio, 1] : [1, 1 / ratio];
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return `${round(n)}:${round(d)}`;
}

function describe(a: CorporateAction): string {
  if (a.kind === 'split') return a.ratio === null ? 'split' : `${splitLabel(a.ratio)} split`;
  return a.amount === null ? 'dividend' : `${a.amount.toFixed(a.amount < 0.01 ? 4 : 2)} per share`;
}

/** The Overview's list of the splits and dividends that adjust this symbol's prices, newest first. */
export function CorporateActions({ symbol }: { symbol: string }) {
  const actions = useActions(symbol);
  return (
    <section aria-labelledby="corporate-actions-heading">
      <h3 id="corporate-actions-heading" className="mb-2 text-xs font-semibold uppercase tracking-wider text-zinc-400">
        Corporate actions
      </h3>
      {actions.isPending ? (
        <p className="text-sm text-zinc-400">Loading…</p>
      ) : actions.isError ? (
        <p role="alert" className="text-sm text-rose-300">
          {friendlyMessage(actions.error)}
        </p>
      ) : actions.data.length === 0 ? (
        <p className="text-sm text-zinc-400">
          No splits or dividends recorded. Prices are shown as traded until a backfill records some.
        </p>
      ) : (
        <div className="max-h-48 overflow-y-auto">
          <table aria-label="Corporate actions" className="w-full text-sm">
            <thead>
              <tr className="border-b border-zinc-800 text-left text-[0.6875rem] uppercase tracking-wider text-zinc-400">
                <th scope="col" className="py-1.5 pr-3 font-semibold">
                  Ex-date
                </th>
                <th scope="col" className="py-1.5 pr-3 font-semibold">
                  Kind
                </th>
                <th scope="col" className="py-1.5 pr-3 font-semibold">
                  Value
                </th>
                <th scope="col" className="py-1.5 font-semibold">
                  Source
                </th>
              </tr>
            </thead>
            <tbody className="tabular-nums">
              {[...actions.data].reverse().map((a) => (
                <tr key={`${a.ex_date}-${a.kind}`} className="border-b border-zinc-800/60">
                  <td className="py-1.5 pr-3 font-mono text-zinc-300">{a.ex_date}</td>
                  <td className="py-1.5 pr-3 text-zinc-300">{a.kind}</td>
                  <td className="py-1.5 pr-3 text-zinc-100">{describe(a)}</td>
                  <td className="py-1.5 text-zinc-400">{a.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
