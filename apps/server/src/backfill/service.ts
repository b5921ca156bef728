import {
  type AssetClass,
  type BackfillCreated,
  type BackfillJob,
  type BackfillRequest,
  ConflictError,
  guessAssetClass,
  guessCurrency,
  isFinished,
  jobNotFound,
  TooManyRequestsError,
} from '@candlebase/contracts';
import { countOf, type Database, type Db, type Executor, queryRows } from '@candlebase/db';
import { JOB_COLUMNS, type JobRow, type PgTimestamp, toJob } from '@candlebase/db/rows';
import { backfillJobs, symbols as symbolsTable } from '@candlebase/db/schema';
import { eq, inArray, sql } from 'drizzle-orm';
import { HISTORY_PRIORITY, REFRESH_PRIORITY } from './claim';
import { appendEvent, notifyWork } from './events';
import { recordOnJob } from './ledger';
import { quotaWaitsOf } from './quota-waits';

const DAY_MS = 86_400_000;

export interface CreateOptions {
  /** The provider every unit uses (a request that names one); otherwise each symbol's own. */
  provider?: string | undefined;
  /** The provider of a symbol that has none yet (new ones included): MARKET_DATA_PROVIDER and the per-class rule. */
  rule?: (assetClass: AssetClass) => string;
  origin?: 'manual' | 'scheduled' | 'gaps';
  /** Explicit unit ranges (e.g. the gaps of a series); by default each symbol x timeframe covers the dates. */
  ranges?: { symbol: string; timeframe: string; from: Date; to: Date }[];
  /** Refuse (TooManyRequestsError) when this many jobs are already queued or running. */
  maxActiveJobs?: number;
}

/** The advisory lock that makes "count the active jobs, then insert one" a single step. */
const ACTIVE_JOBS_LOCK = 0x0cb_0a1e;

/**
 * Counts the active jobs under a transaction-level advisory lock that every capped creation
 * takes: two requests cannot both see room for one more (count, then insert, is a race).
 */
async function checkActiveCap(tx: Pick<Db, 'execute' | '$count'>, limit: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ACTIVE_JOBS_LOCK})`);
  const n = await tx.$count(backfillJobs, inArray(backfillJobs.status, ['queued', 'running']));
  if (n >= limit) {
    throw new TooManyRequestsError(
      `${n} backfill jobs are already queued or running (the limit is ${limit}); wait for some to finish or cancel them`,
      30,
    );
  }
}

/**
 * Creates symbols that are new to us, guessing their asset class until a provider says better;
 * each gets `provider`, or the rule's provider for its class.
 */
export async function ensureSymbols(
  exec: Executor,
  symbols: string[],
  provider: string | ((assetClass: AssetClass) => string),
): Promise<void> {
  if (symbols.length === 0) return;
  const classes = symbols.map(guessAssetClass);
  const providers = classes.map((c) => (typeof provider === 'string' ? provider : provider(c)));
  await exec.execute(sql`
    insert into symbols (symbol, asset_class, currency, provider)
    select s, c, q, p
    from unnest(${sql.param(symbols)}::text[], ${sql.param(classes)}::text[],
                ${sql.param(symbols.map(guessCurrency))}::text[], ${sql.param(providers)}::text[]) as t(s, c, q, p)
    on conflict (symbol) do nothing`);
}

/** Each symbol's provider for this job: the named one, else the symbol's, else the rule's for its class. */
export async function providersOf(
  exec: Pick<Db, 'select'>,
  symbols: string[],
  named: string | undefined,
  rule: (assetClass: AssetClass) => string,
): Promise<Map<string, string>> {
  if (named !== undefined) return new Map(symbols.map((s) => [s, named]));
  const rows = await exec
    .select({ symbol: symbolsTable.symbol, provider: symbolsTable.provider, assetClass: symbolsTable.assetClass })
    .from(symbolsTable)
    .where(inArray(symbolsTable.symbol, symbols));
  const found = new Map(rows.map((r) => [r.symbol, r.provider ?? rule(r.assetClass as AssetClass)]));
  return new Map(symbols.map((s) => [s, found.get(s) ?? rule(guessAssetClass(s))]));
}

/** Creates the job, its units and any unknown symbols in one transaction, then wakes the workers. */
export async function createBackfill(
  database: Database,
  req: BackfillRequest,
  opts: CreateOptions,
): Promise<BackfillCreated> {
  const from = Date.parse(`${req.start_date}T00:00:00Z`);
  const to = Date.parse(`${req.end_date}T00:00:00Z`) + DAY_MS;
  const ranges =
    opts.ranges ??
    req.symbols.flatMap((symbol) =>
      req.timeframes.map((timeframe) => ({ symbol, timeframe, from: new Date(from), to: new Date(to) })),
    );
  const named = opts.provider;
  const rule = opts.rule;
  if (named === undefined && rule === undefined) throw new Error('createBackfill needs a provider or a provider rule');
  const ruleOrNamed = rule ?? (() => named ?? '');
  const created = await database.db.transaction(async (tx) => {
    if (opts.maxActiveJobs !== undefined) await checkActiveCap(tx, opts.maxActiveJobs);
    // New symbols get the rule's provider: naming one for a job (an upload, say) does not pin the symbol to it.
    await ensureSymbols(tx, req.symbols, rule ?? ruleOrNamed);
    const unitSymbols = [...new Set(ranges.map((r) => r.symbol))];
    const bySymbol = await providersOf(tx, unitSymbols, named, ruleOrNamed);
    const unitProviders = ranges.map((r) => bySymbol.get(r.symbol) ?? ruleOrNamed(guessAssetClass(r.symbol)));
    // One name when the job has one provider; otherwise all of them, so the job list says which.
    const jobProvider = named ?? ([...new Set(unitProviders)].sort().join(', ') || ruleOrNamed('equity'));
    const rows = await queryRows<{ id: string; created_at: PgTimestamp }>(
      tx,
      sql`insert into backfill_jobs (symbols, start_date, end_date, timeframes, provider, refetch, origin, symbols_total)
          values (${sql.param(req.symbols)}::text[], ${req.start_date}, ${req.end_date}, ${sql.param(req.timeframes)}::text[],
                  ${jobProvider}, ${req.refetch}, ${opts.origin ?? 'manual'}, ${req.symbols.length})
          returning id, created_at`,
    );
    const job = rows[0];
    if (!job) throw new Error('Inserting the job returned no row');
    const jobId = String(job.id);
    await tx.execute(sql`
      insert into backfill_job_progress (job_id, symbol, timeframe, range_start, range_end, provider, priority)
      select ${jobId}, s, tf, rs::timestamptz, re::timestamptz, p, ${opts.origin === 'scheduled' ? REFRESH_PRIORITY : HISTORY_PRIORITY}
      from unnest(${sql.param(ranges.map((r) => r.symbol))}::text[], ${sql.param(ranges.map((r) => r.timeframe))}::text[],
                  ${sql.param(ranges.map((r) => r.from.toISOString()))}::text[], ${sql.param(ranges.map((r) => r.to.toISOString()))}::text[],
                  ${sql.param(unitProviders)}::text[])
           as t(s, tf, rs, re, p)`);
    await appendEvent(tx, {
      jobId,
      kind: 'job_created',
      message: `Job created: ${req.symbols.length} symbols x ${req.timeframes.length} timeframes, ${req.start_date} to ${req.end_date}`,
      data: { units: ranges.length },
    });
    await notifyWork(tx);
    return { jobId, createdAt: job.created_at };
  });
  return {
    job_id: created.jobId,
    status: 'queued',
    symbols_count: req.symbols.length,
    symbols: req.symbols,
    date_range: { start: req.start_date, end: req.end_date },
    timeframes: req.timeframes,
    timestamp: new Date().toISOString(),
  };
}

export async function getJob(exec: Executor, jobId: string): Promise<BackfillJob> {
  const rows = await queryRows<JobRow>(
    exec,
    sql`select ${sql.raw(JOB_COLUMNS)} from backfill_jobs where id = ${jobId}`,
  );
  const row = rows[0];
  if (!row) throw jobNotFound(jobId);
  return toJob(row);
}

export async function recentJobs(exec: Executor, limit: number): Promise<BackfillJob[]> {
  const rows = await queryRows<JobRow>(
    exec,
    sql`select ${sql.raw(JOB_COLUMNS)} from backfill_jobs order by created_at desc, id desc limit ${limit}`,
  );
  const jobs = rows.map(toJob);
  const waits = await quotaWaitsOf(
    exec,
    jobs.filter((j) => j.status === 'running').map((j) => j.job_id),
  );
  return jobs.map((j) => ({ ...j, waiting_for_quota: waits.get(j.job_id) ?? null }));
}

/** Cancels pending units now; running ones stop at their next page. */
export async function cancelBackfill(database: Database, jobId: string): Promise<BackfillJob> {
  const current = await getJob(database.db, jobId);
  if (isFinished(current.status)) {
    throw new ConflictError(
      `Backfill job ${jobId} has already ${current.status === 'cancelled' ? 'been cancelled' : current.status}`,
    );
  }
  await database.db.transaction(async (tx) => {
    // Units before the job row, the order every transaction here takes its locks in.
    const cancelled = await tx.execute(sql`
      update backfill_job_progress set status = 'cancelled', completed_at = now(), lease_expires_at = null
      where job_id = ${jobId} and status = 'pending'`);
    await tx
      .update(backfillJobs)
      .set({ cancelRequestedAt: sql`coalesce(${backfillJobs.cancelRequestedAt}, now())` })
      .where(eq(backfillJobs.id, jobId));
    const job = await recordOnJob(tx, jobId, () => ({
      kind: 'cancel_requested',
      message: 'Cancel requested: pending units cancelled, running units stop at their next page',
      data: { cancelled_units: countOf(cancelled) },
    }));
    if (!job) throw jobNotFound(jobId);
  });
  return getJob(database.db, jobId);
}

/** Re-queues the failed (and cancelled) units of a finished job. */
export async function retryBackfill(database: Database, jobId: string, maxAttempts: number): Promise<BackfillJob> {
  await database.db.transaction(async (tx) => {
    const job = await recordOnJob(
      tx,
      jobId,
      async (job) => {
        if (!isFinished(job.status))
          throw new ConflictError(`Backfill job ${jobId} is still ${job.status}; retry it once it has ended`);
        if (job.status === 'completed')
          throw new ConflictError(`Backfill job ${jobId} completed; there is nothing to retry`);
        // The job row is locked before its units here: no unit of a finished job is held by a claim.
        const requeued = await queryRows<{ n: number }>(
          tx,
          sql`with r as (
                update backfill_job_progress set status = 'pending', error_message = null, completed_at = null,
                  lease_expires_at = null, worker_id = null, attempt_limit = attempts + ${maxAttempts}
                where job_id = ${jobId} and status in ('failed', 'cancelled') returning 1)
              select count(*)::int as n from r`,
        );
        await tx
          .update(backfillJobs)
          .set({ status: 'queued', cancelRequestedAt: null, completedAt: null, error: null })
          .where(eq(backfillJobs.id, jobId));
        return {
          kind: 'job_retried',
          message: `Retrying ${requeued[0]?.n ?? 0} units`,
          data: { units: requeued[0]?.n ?? 0 },
        };
      },
      { previous: 'queued' },
    );
    if (!job) throw jobNotFound(jobId);
    await notifyWork(tx);
  });
  return getJob(database.db, jobId);
}
