import { formatDuration, formatInt } from '../../lib/format';
import type { LogEntry } from './progress-state';

const MARKS: Record<LogEntry['kind'], { icon: string; className: string; label: string }> = {
  completed: { icon: '✓', className: 'text-emerald-400', label: 'completed' },
  failed: { icon: '✕', className: 'text-rose-400', label: 'failed' },
  cancelled: { icon: '–', className: 'text-amber-400', label: 'cancelled' },
  retrying: { icon: '↻', className: 'text-amber-300', label: 'retrying' },
};

/** Finished units, newest first, as the subscription reports them. */
export function ProgressLog({ entries }: { entries: LogEntry[] }) {
  return (
    <div className="rounded-md border border-zinc-800 bg-zinc-950">
      <div className="grid grid-cols-[1.25rem_minmax(0,1fr)_3.5rem_6rem_4.5rem] gap-x-3 border-b border-zinc-800 px-3 py-1.5 text-[0.625rem] font-semibold uppercase tracking-wider text-zinc-400">
        <span />
        <span>Symbol</span>
        <span>TF</span>
        <span className="text-right">Records</span>
        <span className="text-right">Time</span>
      </div>
      {/* The live region wraps the list (a list's items need a list parent); it scrolls, so it takes focus. */}
      <div
        role="log"
        aria-label="Finished units"
        aria-live="polite"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolled region must be reachable by keyboard
        tabIndex={0}
        className="max-h-56 overflow-y-auto font-mono text-xs focus-visible:outline-2 focus-visible:outline-sky-400"
      >
        <ol>
          {entries.length === 0 && <li className="px-3 py-3 font-sans text-zinc-400">No unit has finished yet.</li>}
          {entries.map((e) => {
            const mark = MARKS[e.kind];
            return (
              <li key={e.key} className="border-b border-zinc-900 px-3 py-1.5 last:border-b-0">
                <div className="grid grid-cols-[1.25rem_minmax(0,1fr)_3.5rem_6rem_4.5rem] items-center gap-x-3 tabular-nums">
                  <span className={mark.className} title={mark.label}>
                    <span aria-hidden="true">{mark.icon}</span>
                    <span className="sr-only">{mark.label}</span>
                  </span>
                  <span className="truncate text-zinc-100">{e.symbol}</span>
                  <span className="text-zinc-400">{e.timeframe}</span>
                  <span
                    className="text-right text-zinc-200"
                    title={
                      e.updated > 0 ? `${formatInt(e.records)} inserted, ${formatInt(e.updated)} updated` : undefined
                    }
                  >
                    {e.kind === 'retrying' ? '' : formatInt(e.records)}
                    {e.kind !== 'retrying' && e.updated > 0 && (
                      <span className="text-sky-300"> +{formatInt(e.updated)}</span>
                    )}
                  </span>
                  <span className="text-right text-zinc-400">
                    {e.seconds === null ? '' : formatDuration(e.seconds)}
                  </span>
                </div>
                {e.error && <p className="mt-0.5 pl-8 font-sans text-[0.6875rem] text-rose-300/90">{e.error}</p>}
                {e.notice && <p className="mt-0.5 pl-8 font-sans text-[0.6875rem] text-amber-300/90">{e.notice}</p>}
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}
