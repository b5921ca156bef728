import { calendarFor } from '@candlebase/calendar';
import {
  type AssetClass,
  type BackfillStatus,
  type BackfillUnit,
  guessAssetClass,
  isFinished,
  type SessionPolicy,
} from '@candlebase/contracts';
import { type Executor, queryRows } from '@candlebase/db';
import { type Row, toUnit, UNIT_COLUMNS, type UnitRow } from '@candlebase/db/rows';
import { sql } from 'drizzle-orm';
import type { Config } from '../config';
import { type UnitBars, unitBars } from './bar-progress';
import type { EngineDeps } from './engine-deps';
import { addLoad, estimateSeconds, type ProviderLoad, requestsFor } from './preview-estimate';
import { QUOTA_WAIT_COLUMNS, quotaWaitOfUnits } from './quota-waits';
import { getJob } from './service';

interface SpanRow {
  range_start: number;
  range_end: number;
  cursor: number | null;
  asset_class: AssetClass | null;
  session: SessionPolicy | null;
}

interface UnitSpan extends UnitBars {
  unit: BackfillUnit;
  from: number;
  to: number;
}

const SPAN_COLUMNS = sql`extract(epoch from range_start) * 1000 as range_start,
  extract(epoch from range_end) * 1000 as range_end, extract(epoch from cursor_ts) * 1000 as cursor,
  (select s.asset_class from symbols s where s.symbol = backfill_job_progress.symbol) as asset_class,
  (select s.session from symbols s where s.symbol = backfill_job_progress.symbol) as session`;

function spanOf(row: UnitRow & SpanRow, unit: BackfillUnit, now: number): UnitSpan {
  const calendar = calendarFor(row.asset_class ?? guessAssetClass(unit.symbol), row.session ?? 'regular');
  const range = { from: Number(row.range_start), to: Number(row.range_end) };
  const bars = unitBars(
    { calendar, timeframe: unit.timeframe, settleMs: 0 },
    {
      range,
      cursor: row.cursor == null ? null : Number(row.cursor),
      status: unit.status,
      completedAt: unit.completed_at === null ? null : Date.parse(unit.completed_at),
    },
    now,
  );
  return {
    ...bars,
    unit: { ...unit, bars_expected: bars.expected, bars_done: bars.done },
    from: range.from,
    to: range.to,
  };
}

/**
 * The classic status answer, each unit with its bars expected and passed (bars_expected,
 * bars_done) and their sums for the job. One read of the units: a snapshot per subscriber.
 */
async function readStatus(exec: Executor, jobId: string, now: number) {
  const job = await getJob(exec, jobId);
  const rows = await queryRows<UnitRow & Row & SpanRow>(
    exec,
    sql`select ${sql.raw(UNIT_COLUMNS)}, ${QUOTA_WAIT_COLUMNS}, ${SPAN_COLUMNS}
        from backfill_job_progress where job_id = ${jobId} order by symbol, timeframe, range_start`,
  );
  const spans = rows.map((r) => spanOf(r, toUnit(r, job.provider), now));
  const status: BackfillStatus = {
    ...job,
    waiting_for_quota: quotaWaitOfUnits(rows, job.provider),
    bars_expected: spans.reduce((n, u) => n + u.expected, 0),
    bars_done: spans.reduce((n, u) => n + u.done, 0),
    details: spans.map((s) => s.unit),
  };
  return { status, spans };
}

export async function getStatus(exec: Executor, jobId: string, now: number): Promise<BackfillStatus> {
  return (await readStatus(exec, jobId, now)).status;
}

export type JobStatusDeps = Pick<EngineDeps, 'database' | 'clock' | 'providers'> & {
  config: Pick<Config, 'WORKER_CONCURRENCY'>;
};

/**
 * What the remaining units still cost at their providers' quotas and this machine's write rate,
 * as the preview estimates a new job: the floor under an ETA taken from the rate so far.
 */
async function secondsLeft(app: JobStatusDeps, spans: UnitSpan[]): Promise<number> {
  const loads = new Map<string, ProviderLoad>();
  for (const { unit: u, expected, done, from, to } of spans) {
    if (u.status !== 'pending' && u.status !== 'running') continue;
    const bars = Math.max(0, expected - done);
    if (bars === 0) continue;
    const provider = app.providers.get(u.provider);
    const plan = { symbol: u.symbol, timeframe: u.timeframe, from: new Date(from), to: new Date(to), bars };
    addLoad(loads, u.provider, provider, { requests: requestsFor(provider, plan), bars });
  }
  return estimateSeconds([...loads.values()], app.config.WORKER_CONCURRENCY);
}

/**
 * The status a person reads: `getStatus` and, while the job runs, the seconds its quotas still
 * need for what is left (quota_seconds_left).
 */
export async function jobStatus(app: JobStatusDeps, jobId: string): Promise<BackfillStatus> {
  const { status, spans } = await readStatus(app.database.db, jobId, app.clock());
  if (isFinished(status.status)) return { ...status, quota_seconds_left: null };
  return { ...status, quota_seconds_left: await secondsLeft(app, spans) };
}
