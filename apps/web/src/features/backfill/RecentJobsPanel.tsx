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
import { quotaWaitText } from './quota-wait';

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
    <li className="group relative border-b border-zinc-800/70 last:border-b-0">
      <div className="flex items-start gap-2 px-3.5 py-2.5 hover:bg-zinc-800/30">
        <div className="min-w-0 flex-1">
          <div className="flex items-center justify-between gap-2">
            {/* The button's name is its visible text (the symbols) after a prefix that keeps it apart
                from the table's symbol buttons; a stretched hit area makes the whole card open it. */}
            <button
              type="button"
              onClick={onOpen}
              className="min-w-0 truncate rounded text-left font-mono text-[0.8125rem] font-semibold text-zinc-100 after:absolute after:inset-0 after:content-[''] focus-visible:outline-2 focus-visible:outline-sky-400"
              title={job.symbols.join(', ')}
              aria-describedby={`job-${job.job_id}`}
            >
              <span className="sr-only">Open backfill job </span>
              {symbolsLabel(job.symbols)}
            </button>
            <span id={`job-${job.job_id}`}>
              <JobStatusBadge status={job.status} />
            </span>
          </div>
          <div className="mt-1 flex items-center justify-between gap-2 text-[0.6875rem] tabular-nums text-zinc-400">
            <span>
              {job.timeframes.join(' · ')} · {formatDateRange(job.start_date, job.end_date)}
            </span>
            <span title={formatUtc(job.created_at)}>{formatAgo(job.created_at)}</span>
          </div>
          <div className="mt-1.5 flex items-center gap-2">
            {/* progress_pct counts ended units: for a cancelled or failed job a full bar would claim
                work that was never done, so those show their records only (the dialog has the units). */}
            {job.status === 'cancelled' || job.status === 'failed' ? (
              <span className="flex-1" />
            ) : (
              <div className="h-1 flex-1 overflow-hidden rounded-full bg-zinc-800" aria-hidden="true">
                <div
                  className={`h-full ${job.status === 'completed' ? 'bg-emerald-500' : 'bg-sky-500'}`}
                  style={{ width: `${pct}%` }}
                />
              </div>
            )}
            <span
              className="min-w-20 text-right text-[0.6875rem] tabular-nums text-zinc-400"
              title={`${formatInt(job.total_records_inserted)} inserted, ${formatInt(job.total_records_updated)} updated`}
            >
              {formatInt(job.total_records_inserted)} inserted
              {job.total_records_updated > 0 && `, ${formatInt(job.total_records_updated)} updated`}
            </span>
          </div>
          {job.waiting_for_quota && (
            <p className="mt-1 truncate text-[0.6875rem] text-amber-300/90">
              {quotaWaitText(job.waiting_for_quota, Date.now())}
            </p>
          )}
          {job.error && (
            <p className="mt-1 truncate text-[0.6875rem] text-rose-300/90" title={job.error}>
              {job.error}
            </p>
          )}
        </div>
        {(job.status === 'failed' || job.status === 'cancelled') && (
          <Button size="sm" variant="secondary" onClick={onRetry} disabled={retrying} className="relative z-10 mt-5">
            {job.status === 'failed' ? 'Retry failed' : 'Resume'}
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
        <span className="text-xs tabular-nums text-zinc-400">
          {jobs.length > 0 ? `${formatInt(jobs.length)} shown` : ''}
        </span>
      </div>
      {collapsed ? (
        <div id="recent-jobs-body" hidden />
      ) : jobs.length === 0 ? (
        <p id="recent-jobs-body" className="px-3.5 py-8 text-center text-sm text-zinc-400">
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
