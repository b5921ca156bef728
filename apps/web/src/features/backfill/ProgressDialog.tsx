import { type BackfillJob, isFinished } from '@candlebase/contracts';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { friendlyMessage } from '../../lib/errors';
import { formatDuration, formatInt } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { useNow } from '../../lib/use-now';
import { Button } from '../../ui/Button';
import { Modal } from '../../ui/Modal';
import { useInvalidateAfterJob } from './invalidate';
import { JobStatusBadge } from './JobStatusBadge';
import { ProgressLog } from './ProgressLog';
import { useJobProgress } from './use-job-progress';

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0 rounded-md border border-zinc-800 bg-zinc-950/60 px-3 py-2">
      <dt className="text-[10px] font-medium uppercase tracking-wider text-zinc-500">{label}</dt>
      <dd className="mt-0.5 truncate text-sm font-semibold tabular-nums text-zinc-100">{children}</dd>
    </div>
  );
}

function elapsedSeconds(job: BackfillJob, now: number): number | null {
  if (!job.started_at) return null;
  const end = job.completed_at ? Date.parse(job.completed_at) : now;
  return (end - Date.parse(job.started_at)) / 1000;
}

function Outcome({ job, onRetry, retrying }: { job: BackfillJob; onRetry: () => void; retrying: boolean }) {
  if (job.status === 'completed') {
    return (
      <div
        role="status"
        className="rounded-md border border-emerald-500/30 bg-emerald-500/10 px-3 py-2.5 text-sm text-emerald-200"
      >
        Backfill complete: {formatInt(job.total_records_inserted)} records inserted,{' '}
        {formatInt(job.total_records_updated)} updated, for{' '}
        {job.symbols_total === 1 ? '1 symbol' : `${job.symbols_total} symbols`}.
      </div>
    );
  }
  if (job.status === 'failed') {
    return (
      <div
        role="status"
        className="flex items-center justify-between gap-3 rounded-md border border-rose-500/30 bg-rose-500/10 px-3 py-2.5 text-sm text-rose-200"
      >
        <span>
          Backfill failed: {job.error ?? 'a unit failed'}. {formatInt(job.total_records_inserted)} records were
          inserted, {formatInt(job.total_records_updated)} updated.
        </span>
        <Button size="sm" variant="secondary" onClick={onRetry} disabled={retrying}>
          Retry failed
        </Button>
      </div>
    );
  }
  if (job.status === 'cancelled') {
    return (
      <div
        role="status"
        className="rounded-md border border-amber-500/30 bg-amber-500/10 px-3 py-2.5 text-sm text-amber-200"
      >
        Backfill cancelled. {formatInt(job.total_records_inserted)} records were inserted,{' '}
        {formatInt(job.total_records_updated)} updated, before it stopped.
      </div>
    );
  }
  return null;
}

export function ProgressDialog({
  jobId,
  onClose,
  onRetried,
}: {
  jobId: string;
  onClose: () => void;
  onRetried: (jobId: string) => void;
}) {
  const trpc = useTRPC();
  const { job, log, subscription, waitingForJob } = useJobProgress(jobId);
  const finished = job ? isFinished(job.status) : false;
  const now = useNow(1000, !finished);
  const invalidate = useInvalidateAfterJob();
  const cancel = useMutation(trpc.backfill.cancel.mutationOptions());
  const retry = useMutation(
    trpc.backfill.retry.mutationOptions({
      onSuccess: (j) => {
        invalidate();
        onRetried(j.job_id);
      },
    }),
  );

  // When the job ends, the dashboard refreshes itself (once per job, even if it ended before we looked).
  const invalidatedFor = useRef<string | null>(null);
  useEffect(() => {
    if (finished && invalidatedFor.current !== jobId) {
      invalidatedFor.current = jobId;
      invalidate();
    }
  }, [finished, jobId, invalidate]);

  const pct = job ? Math.round(job.progress_pct) : 0;
  const elapsed = job ? elapsedSeconds(job, now) : null;
  const cancelling = job?.cancel_requested_at != null && !finished;

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title="Backfill Progress"
      aside={job ? <JobStatusBadge status={job.status} /> : undefined}
      description={
        job ? (
          <span className="font-mono">
            {job.symbols.join(', ')} · {job.timeframes.join(', ')} · {job.start_date} → {job.end_date}
          </span>
        ) : (
          'Connecting…'
        )
      }
      size="lg"
    >
      <div className="flex flex-col gap-4 px-5 py-4">
        {waitingForJob && !job && (
          <p className="rounded-md border border-zinc-700 bg-zinc-800/50 px-3 py-2 text-sm text-zinc-300">
            Waiting for job {jobId.slice(0, 8)} to appear…
          </p>
        )}
        {subscription.error && !job && !waitingForJob && (
          <p
            role="alert"
            className="rounded-md border border-rose-500/40 bg-rose-500/10 px-3 py-2 text-sm text-rose-200"
          >
            {friendlyMessage(subscription.error)}
          </p>
        )}
        <div>
          <div className="mb-1.5 flex items-baseline justify-between text-xs">
            <span className="text-zinc-400">
              {job?.status === 'queued' ? 'Waiting for a worker…' : cancelling ? 'Cancelling…' : 'Progress'}
            </span>
            <span className="font-semibold tabular-nums text-zinc-100">{pct}%</span>
          </div>
          <div
            role="progressbar"
            aria-label="Backfill progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
            className="h-2.5 overflow-hidden rounded-full bg-zinc-800"
          >
            <div
              className={`h-full rounded-full transition-[width] duration-300 ${job?.status === 'failed' ? 'bg-rose-500' : job?.status === 'cancelled' ? 'bg-amber-500' : job?.status === 'completed' ? 'bg-emerald-500' : 'bg-sky-500'}`}
              style={{ width: `${pct}%` }}
            />
          </div>
        </div>
        <dl className="grid grid-cols-2 gap-2 sm:grid-cols-6">
          <Stat label="Symbols">{job ? `${job.symbols_completed} / ${job.symbols_total}` : '—'}</Stat>
          <Stat label="Records inserted">{job ? formatInt(job.total_records_inserted) : '—'}</Stat>
          <Stat label="Records updated">{job ? formatInt(job.total_records_updated) : '—'}</Stat>
          <Stat label="Current symbol">
            <span className="font-mono">{finished ? '—' : (job?.current_symbol ?? '—')}</span>
          </Stat>
          <Stat label="Elapsed">{elapsed === null ? '—' : formatDuration(elapsed)}</Stat>
          <Stat label="Status">{job ? job.status : '—'}</Stat>
        </dl>
        {job && <Outcome job={job} onRetry={() => retry.mutate({ jobId })} retrying={retry.isPending} />}
        <ProgressLog entries={log} />
        <div className="flex items-center justify-between gap-3">
          <span className="font-mono text-[11px] text-zinc-600">job {jobId}</span>
          <div className="flex gap-2">
            <Button
              variant="danger"
              onClick={() => cancel.mutate({ jobId })}
              disabled={!job || finished || cancelling || cancel.isPending}
            >
              Cancel Job
            </Button>
            <Button onClick={onClose}>{finished ? 'Done' : 'Hide'}</Button>
          </div>
        </div>
      </div>
    </Modal>
  );
}
