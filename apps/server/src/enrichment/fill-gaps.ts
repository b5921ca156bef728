import {
  type AssetClass,
  type BackfillRequest,
  ConflictError,
  type EnrichmentFillGaps,
  isoDate,
} from '@candlebase/contracts';
import { type Database, type Executor, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import { createBackfill } from '../backfill/service';
import { UNIT_IS_BUSY } from '../queries/busy-series';
import { analyseCoverage, type CoverageQuery } from './coverage';

/** Units one fill job may hold; a series torn into more pieces is filled in rounds. */
export const MAX_FILL_RANGES = 500;

/** Whether a queued or running job still has work on this series. */
export async function seriesBusy(db: Executor, symbol: string, timeframe: string): Promise<boolean> {
  const rows = await queryRows<{ busy: boolean }>(
    db,
    sql`select exists (
          select 1 from backfill_job_progress u join backfill_jobs j on j.id = u.job_id
          where u.symbol = ${symbol} and u.timeframe = ${timeframe} and ${UNIT_IS_BUSY}) as busy`,
  );
  return rows[0]?.busy === true;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * One backfill job whose units are exactly the real gaps of the series (quiet periods are left
 * alone: the provider was asked and had nothing). Refused while another job works on the series,
 * so a double click does not fetch everything twice.
 */
export async function fillGaps(
  database: Database,
  rule: (assetClass: AssetClass) => string,
  q: CoverageQuery,
): Promise<EnrichmentFillGaps> {
  const label = `${q.symbol} ${q.timeframe}`;
  if (await seriesBusy(database.db, q.symbol, q.timeframe)) {
    throw new ConflictError(`A backfill is already working on ${label}; fill its gaps once that has finished`);
  }
  const { ranges, coverage } = await analyseCoverage(database.db, q);
  const gaps = ranges.filter((r) => r.kind === 'gap').slice(0, MAX_FILL_RANGES);
  const first = gaps[0];
  const last = gaps[gaps.length - 1];
  if (!first || !last) {
    const quiet =
      coverage.quiet.ranges > 0
        ? ` (${plural(coverage.quiet.ranges, 'quiet period')} left as they are: the provider had no bars there)`
        : '';
    return {
      job: null,
      ranges: [],
      message:
        coverage.count === 0
          ? `${label} has no data yet: run a backfill first`
          : `${label} has no gaps to fill${quiet}`,
    };
  }
  const req: BackfillRequest = {
    symbols: [q.symbol],
    timeframes: [q.timeframe],
    start_date: isoDate(new Date(first.from)),
    end_date: isoDate(new Date(last.to - 1)),
    // The ranges hold only missing bars, so fetching them whole costs nothing extra, and it does
    // not lean on the coverage summary, which a deletion behind the writer's back leaves wrong.
    refetch: true,
  };
  // The series' gaps come from its symbol's own provider.
  const job = await createBackfill(database, req, {
    rule,
    origin: 'gaps',
    ranges: gaps.map((g) => ({ symbol: q.symbol, timeframe: q.timeframe, from: new Date(g.from), to: new Date(g.to) })),
  });
  const bars = gaps.reduce((n, g) => n + g.bars, 0);
  const more = coverage.gaps.ranges > gaps.length ? `; ${coverage.gaps.ranges - gaps.length} more after this job` : '';
  return {
    job,
    ranges: gaps.map((g) => ({
      from: new Date(g.from).toISOString(),
      to: new Date(g.to).toISOString(),
      bars: g.bars,
      kind: g.kind,
    })),
    message: `Filling ${plural(gaps.length, 'gap')} (${plural(bars, 'bar')}) of ${label}${more}`,
  };
}
