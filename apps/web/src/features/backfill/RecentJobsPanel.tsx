import type { BackfillJob } from '@candlebase/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useDialogs } from '../../app/dialogs';
import { formatAgo, formatDateRange, formatInt, formatUtc } from '../../lib/format';
import { isBoolean, usePersistentState } from '../../lib/storage';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../../ui/Button';
import { useRefreshSettings } from '../system/refresh';
import { useInvalidateAfterJob } from './invalidate';
import { JobStatusBadge } from './JobStatusBadge';

function symbolsLabel(symbols: string[]): string {
  return symbols.length <= 3 ? symbols.join(', ') : `${symbols.slice(0, 3).join(', ')} +${symbols.length - 3}`;
}

function JobItem({
  job,
  onOpen,
  onRetry,
  retrying,
}: {
  job: BackfillJob;
  onOpen: () => void;
  onRetry: () => void;
  retrying: boolean;
}) {
  const pct = Math.round(job.progress_pct);
  return (
    <li className="group border-b border-zinc-800/70 last:border-b-0">
      <div className="flex items-start gap-2 px-3.5 py-2.5 hover:bg-zinc-800/30">
        <button
          type="button"
          onClick={onOpen}
          className="min-w-0 flex-1 rounded text-left focus-visible:outline-2 focus-visible:outline-sky-400"
          // The name leaves the symbols out so that a symbol's name stays unique to its row button.
          aria-label={`Open backfill job ${job.job_id.slice(0, 8)}, ${job.status}`}
          aria-describedby={`job-${job.job_id}`}
        >
          <div className="flex items-center justify-between gap-2">
            <span
              id={`job-${job.job_id}`}
              className="truncate font-mono text-[13px] font-semibold text-zinc-100"
              title={job.symbols.join(', ')}
            >
              {symbolsLabel(job.symbols)}
            </span>
            <JobStatusBadge status={job.status} />
          </div>
          <div className="mt-1 flex items-center justify-between gap-2 text-[11px] tabular-nums text-zinc-500">
            <span>
              {job.timeframes.join(' · ')} · {formatDateRange(job.start_date, job.end_date)}
            </span>
            <span title={formatUtc(job.created_at)}>{formatAgo(job.created_at)}</span>
          </div>
          <div className="mt-1.5 flex items-center gap-2">
            <div className="h-1 flex-1 overflow-hidden rounded-full bg-zinc-800" aria-hidden="true">
              <div
                className={`h-full ${job.status === 'failed' ? 'bg-rose-500' : job.status === 'completed' ? 'bg-emerald-500' : job.status === 'cancelled' ? 'bg-amber-500' : 'bg-sky-500'}`}
                style={{ width: `${pct}%` }}
              />
            </div>
            <span
              className="min-w-20 text-right text-[11px] tabular-nums text-zinc-400"
              title={`${formatInt(job.total_records_inserted)} inserted, ${formatInt(job.total_records_updated)} updated`}
            >
              {formatInt(job.total_records_inserted)} inserted
              {job.total_records_updated > 0 && `, ${formatInt(job.total_records_updated)} updated`}
            </span>
          </div>
          {job.error && (
            <p className="mt-1 truncate text-[11px] text-rose-300/90" title={job.error}>
              {job.error}
            </p>
          )}
        </button>
        {job.status === 'failed' && (
          <Button size="sm" variant="secondary" onClick={onRetry} disabled={retrying} className="mt-5">
            Retry failed
          </Button>
        )}
      </div>
    </li>
  );
}

export function RecentJobsPanel() {
  const trpc = useTRPC();
  const dialogs = useDialogs();
  const { interval } = useRefreshSettings();
  const invalidate = useInvalidateAfterJob();
  const recent = useQuery(trpc.backfill.recent.queryOptions({ limit: 20 }, { refetchInterval: interval }));
  const retry = useMutation(
    trpc.backfill.retry.mutationOptions({
      onSuccess: (job) => {
        invalidate();
        dialogs.openProgress(job.job_id);
      },
    }),
  );
  const jobs = recent.data ?? [];
  // Folded away to give the table the room; remembered across reloads.
  const [collapsed, setCollapsed] = usePersistentState('recent-jobs.collapsed', false, isBoolean);

  return (
    <section
      aria-labelledby="recent-jobs-title"
      className="flex min-h-0 flex-col overflow-hidden rounded-lg border border-zinc-800 bg-zinc-900/60"
    >
      <div className="flex items-center justify-between border-b border-zinc-800 px-3.5 py-2.5">
        <h2 id="recent-jobs-title" className="text-xs font-semibold uppercase tracking-wider text-zinc-400">
          <button
            type="button"
            aria-expanded={!collapsed}
            aria-controls="recent-jobs-body"
            onClick={() => setCollapsed((c) => !c)}
            className="inline-flex items-center gap-1.5 rounded uppercase hover:text-zinc-100 focus-visible:outline-2 focus-visible:outline-sky-400"
          >
            <span aria-hidden="true" className={`inline-block transition-transform ${collapsed ? '-rotate-90' : ''}`}>
              ▾
            </span>
            Recent jobs
          </button>
        </h2>
        <span className="text-xs tabular-nums text-zinc-500">{jobs.length > 0 ? `${jobs.length} shown` : ''}</span>
      </div>
      {collapsed ? null : jobs.length === 0 ? (
        <p className="px-3.5 py-8 text-center text-sm text-zinc-500">
          {recent.isPending ? 'Loading jobs…' : 'No backfills yet. Press b or use “Manual Backfill…” to start one.'}
        </p>
      ) : (
        <ul id="recent-jobs-body" aria-label="Recent jobs" className="min-h-0 flex-1 overflow-y-auto">
          {jobs.map((job) => (
            <JobItem
              key={job.job_id}
              job={job}
              onOpen={() => dialogs.openProgress(job.job_id)}
              onRetry={() => retry.mutate({ jobId: job.job_id })}
              retrying={retry.isPending}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
