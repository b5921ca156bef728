import { calendarFor, countBars } from '@candlebase/calendar';
import { type AssetClass, type SessionPolicy, timeframeMs } from '@candlebase/contracts';
import { type Db, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import type { ClaimedUnit } from './claim';

export interface Range {
  from: number;
  to: number;
}

/**
 * The parts of a unit's range still to fetch. Where the stored series is contiguous (its count
 * equals the bars the calendar expects between its first and last), the span it covers is
 * skipped: a re-run of a complete range costs no provider quota. `refetch` disables this, so a
 * refetch reads the whole range and overwrites the bars whose values changed; the scheduler's
 * refresh jobs are refetches of exactly the new bars plus a trailing window to re-read.
 */
export async function narrowToMissing(db: Db, unit: ClaimedUnit): Promise<Range[]> {
  const start = Math.max(unit.rangeStart, unit.cursor ?? unit.rangeStart);
  const end = unit.rangeEnd;
  if (start >= end) return [];
  if (unit.refetch) return [{ from: start, to: end }];
  const rows = await queryRows<{
    first: unknown;
    last: unknown;
    count: number;
    asset_class: AssetClass | null;
    session: SessionPolicy | null;
  }>(
    db,
    sql`select extract(epoch from c.first_ts) * 1000 as first, extract(epoch from c.last_ts) * 1000 as last,
               c.count::float8 as count, s.asset_class, s.session
        from series_coverage c left join symbols s on s.symbol = c.symbol
        where c.symbol = ${unit.symbol} and c.timeframe = ${unit.timeframe}`,
  );
  const row = rows[0];
  if (!row || row.first == null || row.last == null) return [{ from: start, to: end }];
  const first = Number(row.first);
  const coveredEnd = Number(row.last) + timeframeMs(unit.timeframe);
  const cal = calendarFor(row.asset_class ?? 'equity', row.session ?? 'regular');
  const expected = countBars(cal, unit.timeframe, first, coveredEnd);
  if (Number(row.count) !== expected) return [{ from: start, to: end }];
  const out: Range[] = [];
  if (start < first) out.push({ from: start, to: Math.min(end, first) });
  if (end > coveredEnd) out.push({ from: Math.max(start, coveredEnd), to: end });
  // A head or tail with no bar the calendar expects (the night before the first open, a weekend
  // after the last close) would spend a request on nothing.
  return out.filter((r) => countBars(cal, unit.timeframe, r.from, r.to) > 0);
}
