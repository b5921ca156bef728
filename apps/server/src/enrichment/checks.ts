import { readFileSync } from 'node:fs';
import { calendarFor, countBars } from '@candlebase/calendar';
import {
  type AssetClass,
  type CheckResult,
  type Checks,
  type SessionPolicy,
  type Timeframe,
  timeframeMs,
} from '@candlebase/contracts';
import { type Database, MIGRATIONS_FOLDER, queryRows } from '@candlebase/db';
import type { MarketDataProvider } from '@candlebase/providers';
import { sql } from 'drizzle-orm';
import { redactSecrets } from '../security/redact';
import { analyseCoverage } from './coverage';
import { unrecordedSplits } from './split-check';
import { timeframesAgree } from './timeframe-check';

/** Series looked at in detail by the gap check; the rest are counted, not named. */
const GAP_DETAIL_LIMIT = 20;
const PROVIDER_TIMEOUT_MS = 5000;

export interface CheckOptions {
  /** The clock: bars not closed by then are not expected. */
  now: number;
  providerTimeoutMs?: number;
  /** A worker transaction stalled (waiting on a lock, or on its frozen client) this long is reported. */
  stalledAfterMs?: number;
}

const STALLED_AFTER_MS = 10_000;

function messageOf(err: unknown): string {
  // Drizzle wraps driver errors in one whose message is the whole SQL text: report the cause.
  const root = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const text = redactSecrets(root instanceof Error ? root.message : String(root));
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

async function check(name: string, run: () => Promise<{ ok: boolean; details: string }>): Promise<CheckResult> {
  try {
    return { name, ...(await run()) };
  } catch (err) {
    return { name, ok: false, details: messageOf(err) };
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

async function databaseReachable(database: Database) {
  const t0 = performance.now();
  await database.db.execute(sql`select 1`);
  return { ok: true, details: `${database.engine} answered in ${Math.round(performance.now() - t0)} ms` };
}

async function migrationsCurrent(database: Database) {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as {
    entries: { tag: string }[];
  };
  const rows = await queryRows<{ n: number }>(
    database.db,
    sql`select case when to_regclass('drizzle.__drizzle_migrations') is null then 0
                    else (select count(*)::int from drizzle.__drizzle_migrations) end as n`,
  );
  const applied = Number(rows[0]?.n ?? 0);
  const known = journal.entries.length;
  const tag = journal.entries[applied - 1]?.tag ?? 'none';
  if (applied === known) return { ok: true, details: `${applied} of ${known} applied (schema at ${tag})` };
  if (applied < known) {
    return { ok: false, details: `${applied} of ${known} applied: restart the server to apply the others` };
  }
  return { ok: false, details: `${applied} applied but this server knows only ${known}: a newer version migrated it` };
}

/**
 * Every stored bar is a candle because `candles_ohlc_sane` refuses any other at the write: the
 * check reads the constraint and the quarantine its migration filled, never the table itself.
 */
async function ohlcSanity(database: Database) {
  const rows = await queryRows<{ validated: boolean | null; quarantined: number; candles: number }>(
    database.db,
    sql`select (select convalidated from pg_constraint
                where conname = 'candles_ohlc_sane' and conrelid = 'candles'::regclass) as validated,
               (select count(*)::int from candles_quarantine) as quarantined,
               (select coalesce(sum(count), 0)::float8 from series_coverage) as candles`,
  );
  const r = rows[0];
  if (r?.validated == null)
    return { ok: false, details: 'The candles_ohlc_sane constraint is missing: run the migrations' };
  if (!r.validated) return { ok: false, details: 'The candles_ohlc_sane constraint is not validated yet' };
  const total = plural(Number(r.candles), 'candle');
  const quarantined = Number(r.quarantined);
  if (quarantined === 0) return { ok: true, details: `All ${total} are consistent (enforced by candles_ohlc_sane)` };
  return {
    ok: false,
    details: `All ${total} are consistent (enforced by candles_ohlc_sane); ${plural(quarantined, 'older row')} that were not candles wait in candles_quarantine`,
  };
}

/**
 * Series with real gaps. The coverage summary finds the candidates cheaply (stored count unlike
 * the calendar's count between first and last); only those are read bar by bar, to tell gaps
 * from quiet periods.
 */
async function gaps(database: Database, now: number) {
  const series = await queryRows<{
    symbol: string;
    timeframe: Timeframe;
    asset_class: AssetClass;
    session: SessionPolicy;
    first: number;
    last: number;
    n: number;
  }>(
    database.db,
    sql`select c.symbol, c.timeframe, s.asset_class, s.session, (extract(epoch from c.first_ts) * 1000)::float8 as first,
               (extract(epoch from c.last_ts) * 1000)::float8 as last, c.count::float8 as n
        from series_coverage c join symbols s on s.symbol = c.symbol
        where c.count > 0 order by c.symbol, c.timeframe`,
  );
  const candidates = series.filter((s) => {
    const tf = s.timeframe;
    const expected = countBars(
      calendarFor(s.asset_class, s.session),
      tf,
      Number(s.first),
      Number(s.last) + timeframeMs(tf),
    );
    return Number(s.n) !== expected;
  });
  const withGaps: string[] = [];
  let quietOnly = 0;
  for (const s of candidates.slice(0, GAP_DETAIL_LIMIT)) {
    const { coverage } = await analyseCoverage(database.db, { symbol: s.symbol, timeframe: s.timeframe, now });
    if (coverage.gaps.ranges > 0) {
      withGaps.push(
        `${s.symbol} ${s.timeframe} (${plural(coverage.gaps.ranges, 'gap')}, ${plural(coverage.gaps.bars, 'bar')})`,
      );
    } else if (coverage.quiet.ranges > 0) quietOnly++;
  }
  const unchecked = Math.max(0, candidates.length - GAP_DETAIL_LIMIT);
  const tail = [
    quietOnly > 0 ? `${plural(quietOnly, 'series', 'series')} with quiet periods only` : '',
    unchecked > 0 ? `${unchecked} more with holes not examined` : '',
  ].filter(Boolean);
  if (withGaps.length === 0 && unchecked === 0) {
    return { ok: true, details: [`No gaps in ${plural(series.length, 'series', 'series')}`, ...tail].join('; ') };
  }
  return {
    ok: false,
    details: [`${plural(withGaps.length, 'series', 'series')} with gaps: ${withGaps.join(', ')}`, ...tail].join('; '),
  };
}

/**
 * Units whose worker's page transaction has stalled: waiting on another's lock, or waiting for its
 * own client (a frozen worker in the middle of a COPY). Their leases may look fresh. Postgres only
 * (worker transactions are named after their claim, see tx-timeouts.ts).
 */
async function stalledUnits(database: Database, stalledAfterMs: number): Promise<string[]> {
  if (database.engine !== 'postgres') return [];
  const rows = await queryRows<{ label: string; why: string; secs: number }>(
    database.db,
    sql`select u.symbol || ' ' || u.timeframe as label,
               case when a.wait_event_type = 'Lock' then 'waiting on a lock' else 'waiting for its worker' end as why,
               round(extract(epoch from now() - a.state_change))::int as secs
        from pg_stat_activity a
        join backfill_job_progress u on u.id = split_part(a.application_name, ':', 2)::bigint
        where a.datname = current_database() and a.application_name ~ '^candlebase-unit:[0-9]+:[0-9]+$'
          and a.state = 'active' and (a.wait_event_type = 'Lock' or a.wait_event = 'ClientRead')
          and now() - a.state_change > make_interval(secs => ${stalledAfterMs / 1000})
        order by a.state_change limit 5`,
  );
  return rows.map((r) => `${r.label} ${r.why} for ${r.secs} s`);
}

async function stuckUnits(database: Database, stalledAfterMs: number) {
  const rows = await queryRows<{ n: number; oldest: string | null }>(
    database.db,
    sql`select count(*)::int as n, min(symbol || ' ' || timeframe) as oldest from backfill_job_progress
        where status = 'running' and lease_expires_at < now()`,
  );
  const n = Number(rows[0]?.n ?? 0);
  const stalled = await stalledUnits(database, stalledAfterMs);
  const parts: string[] = [];
  if (n > 0) {
    parts.push(
      `${plural(n, 'unit')} running with an expired lease (e.g. ${rows[0]?.oldest ?? '?'}): is a worker running?`,
    );
  }
  if (stalled.length > 0) parts.push(`stalled page transactions: ${stalled.join('; ')} (a frozen worker?)`);
  if (parts.length === 0) return { ok: true, details: 'No running unit has outlived its lease' };
  return { ok: false, details: parts.join('; ') };
}

async function providerReachable(provider: MarketDataProvider, timeoutMs: number) {
  const t0 = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  // A ping that ignores its signal must not hang the checks: race it against the timeout.
  const timedOut = new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () =>
      reject(new Error(`${provider.name} did not answer within ${timeoutMs / 1000} s`)),
    ),
  );
  // Handled here so that, once the ping has won, the later timeout is not an unhandled rejection.
  timedOut.catch(() => {});
  await Promise.race([provider.ping(signal), timedOut]);
  const demo = provider.demo ? ' (demo data)' : '';
  return { ok: true, details: `${provider.name}${demo} answered in ${Math.round(performance.now() - t0)} ms` };
}

/** "Run Checks": each check runs on its own, so one failure never hides the others. */
export async function runChecks(
  database: Database,
  provider: MarketDataProvider,
  options: CheckOptions,
): Promise<Checks> {
  const now = options.now;
  const checks = await Promise.all([
    check('Database reachable', () => databaseReachable(database)),
    check('Migrations current', () => migrationsCurrent(database)),
    check('OHLC sanity', () => ohlcSanity(database)),
    check('Gaps', () => gaps(database, now)),
    check('Unrecorded splits', () => unrecordedSplits(database)),
    check('Timeframes agree', () => timeframesAgree(database)),
    check('Stuck units', () => stuckUnits(database, options.stalledAfterMs ?? STALLED_AFTER_MS)),
    check('Provider reachable', () => providerReachable(provider, options.providerTimeoutMs ?? PROVIDER_TIMEOUT_MS)),
  ]);
  return { ok: checks.every((c) => c.ok), checks, ran_at: new Date(now).toISOString() };
}
