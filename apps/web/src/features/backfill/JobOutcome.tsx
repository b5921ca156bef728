import type { BackfillJob } from '@candlebase/contracts';
import { formatInt } from '../../lib/format';
import { Button } from '../../ui/Button';
import { barsLine, type UnitTally, unitsLine } from './unit-tally';

function records(job: BackfillJob): string {
  return `${formatInt(job.total_records_inserted)} records stored, ${formatInt(job.total_records_updated)} updated`;
}

/**
 * How a finished job ended. A failed job offers Retry (its failed units), a cancelled one Resume
 * (its cancelled units): both are `backfill.retry`.
 */
export function JobOutcome({
  job,
  tally,
  onRetry,
  retrying,
}: {
  job: BackfillJob;
  tally: UnitTally;
  onRetry: () => void;
  retrying: boolean;
}) {
  if (job.status === 'completed') {
    return (
      <div
        role="status"
        className="rounded-md border border-emerald-500/30 bg-emerald-500/10 px-3 py-2.5 text-sm text-emerald-200"
      >
        Backfill complete: {formatInt(job.total_records_inserted)} records inserted,{' '}
        {formatInt(job.total_records_updated)} updated, for{' '}
        {job.symbols_total === 1 ? '1 symbol' : `${formatInt(job.symbols_total)} symbols`}.
      </div>
    );
  }
  if (job.status !== 'failed' && job.status !== 'cancelled') return null;
  const failed = job.status === 'failed';
  return (
    <div
      role="status"
      className={`flex flex-wrap items-center justify-between gap-3 rounded-md border px-3 py-2.5 text-sm ${failed ? 'border-rose-500/30 bg-rose-500/10 text-rose-200' : 'border-amber-500/30 bg-amber-500/10 text-amber-200'}`}
    >
      <span>
        {failed ? `Backfill failed: ${job.error ?? 'a unit failed'}. ` : 'Backfill cancelled. '}
        {unitsLine(tally)}
        {barsLine(tally) === null ? '' : `, ${barsLine(tally)}`}; {records(job)}.
      </span>
      <Button size="sm" variant="secondary" onClick={onRetry} disabled={retrying}>
        {failed ? 'Retry failed' : 'Resume'}
      </Button>
    </div>
  );
}
