import { type BackfillJob, isFinished } from '@candlebase/contracts';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useEffect, useMemo, useRef } from 'react';
import { friendlyMessage } from '../../lib/errors';
import { formatDuration, formatInt } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { useNow } from '../../lib/use-now';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { Modal } from '../../ui/Modal';
import { useInvalidateAfterJob } from './invalidate';
import { JobOutcome } from './JobOutcome';
import { JobStatusBadge } from './JobStatusBadge';
import { ProgressLog } from './ProgressLog';
import { barsLine, etaSeconds, tallyUnits, unitsLine } from './unit-tally';
import { useJobProgress } from './use-job-progress';

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0 rounded-md border border-zinc-800 bg-zinc-950/60 px-3 py-2">
      <dt className="text-[0.625rem] font-medium uppercase tracking-wider text-zinc-400">{label}</dt>
      <dd className="mt-0.5 truncate text-sm font-semibold tabular-nums text-zinc-100">{children}</dd>
    </div>
  );
}

/** Completed, failed and cancelled units side by side, so a cancelled job never reads as a full bar. */
function UnitsBar({ completed, failed, cancelled, total, running }: Record<string, number>) {
  const width = (n = 0) => `${total ? (100 * n) / total : 0}%`;
  return (
    <div className="flex h-2.5 overflow-hidden rounded-full bg-zinc-800">
      <div className={running ? 'bg-sky-500' : 'bg-emerald-500'} style={{ width: width(completed) }} />
      <div className="bg-rose-500" style={{ width: width(failed) }} />
      <div
        className="bg-[repeating-linear-gradient(135deg,var(--color-amber-500)_0_4px,transparent_4px_8px)]"
        style={{ width: width(cancelled) }}
      />
    </div>
  );
}

/** A labelled progress bar: its caption and figure above, its `progressbar` role and values on the bar. */
function ProgressRow({
  caption,
  figure,
  name,
  pct,
  valueText,
  figureTestId,
  children,
}: {
  caption: ReactNode;
  figure: ReactNode;
  name: string;
  pct: number;
  valueText: string | undefined;
  figureTestId?: string;
  children: ReactNode;
}) {
  return (
    <div>
      <div className="mb-1.5 flex items-baseline justify-between text-xs">
        <span className="text-zinc-400">{caption}</span>
        <span className="font-semibold tabular-nums text-zinc-100" data-testid={figureTestId}>
          {figure}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={name}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={valueText}
      >
        {children}
      </div>
    </div>
  );
}

function elapsedSeconds(job: BackfillJob, now: number): number | null {
  if (!job.started_at) return null;
  const end = job.completed_at ? Date.parse(job.completed_at) : now;
  return (end - Date.parse(job.started_at)) / 1000;
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
  const { job, log, units, quota, subscription, waitingForJob } = useJobProgress(jobId);
  const finished = job ? isFinished(job.status) : false;
  // Reconnecting after the stream broke: what the dialog shows is as old as the last event, so
  // it says so and the clock stops rather than tick on as if the job were seen running.
  const connectionLost = job !== null && !finished && subscription.status === 'connecting';
  const now = useNow(1000, !finished && !connectionLost);
  const invalidate = useInvalidateAfterJob();
  const cancel = useMutation(trpc.backfill.cancel.mutationOptions());
  const retry = useMutation(
    trpc.backfill.retry.mutationOptions({
      onSuccess: (j) => {
        invalidate();
        // The same job runs again: follow it afresh (the old stream ended with the job).
        if (j.job_id === jobId) subscription.reset();
        else onRetried(j.job_id);
      },
    }),
  );

  // Each time the job ends, the dashboard refreshes itself: when it ended before we looked, and
  // again when a resumed or retried run ends.
  const wasFinished = useRef(false);
  useEffect(() => {
    if (finished && !wasFinished.current) invalidate();
    wasFinished.current = finished;
  }, [finished, invalidate]);

  const tally = useMemo(() => (job ? tallyUnits(units, job) : null), [units, job]);
  // Completed units over all units: a cancelled or failed unit is not progress.
  const pct = tally && tally.total > 0 ? Math.floor((100 * tally.completed) / tally.total) : 0;
  const elapsed = job ? elapsedSeconds(job, now) : null;
  // What the quotas still need, by the server's estimate when the snapshot came, less the time since.
  const quotaFloor = quota ? Math.max(0, quota.secondsLeft - (now - quota.at) / 1000) : null;
  const eta = tally && job?.status === 'running' && !connectionLost ? etaSeconds(tally, elapsed, quotaFloor) : null;
  const bars = tally ? barsLine(tally) : null;
  const barsPct =
    tally?.barsExpected != null && tally.barsExpected > 0
      ? Math.floor((100 * tally.barsDone) / tally.barsExpected)
      : null;
  const cancelling = job?.cancel_requested_at != null && !finished;

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title="Backfill Progress"
      aside={
        connectionLost ? (
          <Badge tone="red">Connection lost</Badge>
        ) : job ? (
          <JobStatusBadge status={job.status} />
        ) : undefined
      }
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
        {connectionLost && (
          <p
            role="alert"
            className="rounded-md border border-rose-500/40 bg-rose-500/10 px-3 py-2 text-sm text-rose-200"
          >
            Connection lost, retrying… The figures below are from the last update.
          </p>
        )}
        <ProgressRow
          caption={
            connectionLost
              ? 'Units completed, as of the last update'
              : job?.status === 'queued'
                ? 'Waiting for a worker…'
                : cancelling
                  ? 'Cancelling…'
                  : 'Units completed'
          }
          figure={
            <>
              {pct}%{tally && tally.total > 0 && ` · ${formatInt(tally.completed)} / ${formatInt(tally.total)}`}
              {/* A long unit stores records long before it counts as done: say that it is under way. */}
              {!finished && tally && tally.running > 0 && ` · ${formatInt(tally.running)} running`}
            </>
          }
          name="Backfill progress"
          pct={pct}
          valueText={tally ? unitsLine(tally) : undefined}
        >
          <UnitsBar
            completed={tally?.completed ?? 0}
            failed={tally?.failed ?? 0}
            cancelled={tally?.cancelled ?? 0}
            total={tally?.total ?? 0}
            running={finished ? 0 : 1}
          />
        </ProgressRow>
        {bars !== null && barsPct !== null && (
          <ProgressRow
            caption="Bars fetched or already stored, of those the calendar expects"
            figure={bars}
            figureTestId="bars-progress"
            name="Bars progress"
            pct={barsPct}
            valueText={bars}
          >
            <div className="h-1.5 overflow-hidden rounded-full bg-zinc-800">
              <div
                className={finished ? 'h-full bg-emerald-500' : 'h-full bg-sky-500'}
                style={{ width: `${barsPct}%` }}
              />
            </div>
          </ProgressRow>
        )}
        <dl className="grid grid-cols-2 gap-2 sm:grid-cols-6">
          <Stat label="Symbols done">
            {tally ? `${formatInt(tally.symbolsCompleted)} / ${formatInt(tally.symbolsTotal)}` : '—'}
          </Stat>
          <Stat label="Records inserted">{job ? formatInt(job.total_records_inserted) : '—'}</Stat>
          <Stat label="Records updated">{job ? formatInt(job.total_records_updated) : '—'}</Stat>
          <Stat label="Current symbol">
            <span className="font-mono">{finished ? '—' : (job?.current_symbol ?? '—')}</span>
          </Stat>
          <Stat label="Elapsed">{elapsed === null ? '—' : formatDuration(elapsed)}</Stat>
          <Stat label={finished ? 'Status' : 'Time left'}>
            {finished ? job?.status : eta === null ? '—' : `about ${formatDuration(eta)}`}
          </Stat>
        </dl>
        {job && tally && (
          <JobOutcome job={job} tally={tally} onRetry={() => retry.mutate({ jobId })} retrying={retry.isPending} />
        )}
        <ProgressLog entries={log} />
        <div className="flex items-center justify-between gap-3">
          <span className="font-mono text-[0.6875rem] text-zinc-400">job {jobId}</span>
          <div className="flex gap-2">
            {/* A finished job has nothing to cancel: no button, rather than a disabled one. */}
            {!finished && (
              <Button
                variant="danger"
                onClick={() => cancel.mutate({ jobId })}
                disabled={!job || cancelling || cancel.isPending}
              >
                Cancel Job
              </Button>
            )}
            <Button onClick={onClose}>{finished ? 'Done' : 'Hide'}</Button>
          </div>
        </div>
      </div>
    </Modal>
  );
}
