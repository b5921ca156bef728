import type { Checks } from '@candlebase/contracts';
import { formatClock } from '../../lib/format';
import { Badge } from '../../ui/Badge';
import { DismissablePanel } from './DismissablePanel';

export function ChecksPanel({
  result,
  running,
  error,
  onClose,
}: {
  result: Checks | undefined;
  running: boolean;
  error: string | null;
  onClose: () => void;
}) {
  return (
    <DismissablePanel
      titleId="checks-title"
      title="System checks"
      status={
        <>
          {running && <span className="text-xs text-zinc-400">Running…</span>}
          {result && !running && (
            <Badge tone={result.ok ? 'green' : 'red'}>{result.ok ? 'All checks passed' : 'Some checks failed'}</Badge>
          )}
          {result && (
            <span className="text-xs tabular-nums text-zinc-400">at {formatClock(Date.parse(result.ran_at))}</span>
          )}
        </>
      }
      hideLabel="Hide checks"
      onClose={onClose}
      error={error}
    >
      {result && (
        <ul aria-label="Check results" className="grid gap-x-6 gap-y-1.5 sm:grid-cols-2 xl:grid-cols-3">
          {result.checks.map((c) => (
            <li key={c.name} className="flex items-start gap-2 text-sm">
              <span
                aria-hidden="true"
                className={`mt-0.5 inline-flex size-4 shrink-0 items-center justify-center rounded-full text-[0.625rem] font-bold ${c.ok ? 'bg-emerald-500/15 text-emerald-300' : 'bg-rose-500/15 text-rose-300'}`}
              >
                {c.ok ? '✓' : '✕'}
              </span>
              <span className="min-w-0">
                <span className="font-medium text-zinc-200">{c.name}</span>
                <span className="sr-only">{c.ok ? ': pass' : ': fail'}</span>
                <span
                  className={`ml-1.5 text-xs font-semibold ${c.ok ? 'text-emerald-400' : 'text-rose-400'}`}
                  aria-hidden="true"
                >
                  {c.ok ? 'pass' : 'fail'}
                </span>
                <span className="block truncate text-xs text-zinc-400" title={c.details}>
                  {c.details}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </DismissablePanel>
  );
}
