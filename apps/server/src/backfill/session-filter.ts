import { type CalendarName, calendarFor, isBarOpen } from '@candlebase/calendar';
import type { AssetClass, SessionPolicy, Timeframe } from '@candlebase/contracts';
import { type Executor, queryRows } from '@candlebase/db';
import type { ProviderCandle } from '@candlebase/providers';
import { sql } from 'drizzle-orm';

export interface SeriesHours {
  session: SessionPolicy;
  calendar: CalendarName;
}

/** The hours a symbol's series keep: its session policy and the calendar that follows from it. */
export async function seriesHours(db: Executor, symbol: string): Promise<SeriesHours> {
  const rows = await queryRows<{ asset_class: AssetClass; session: SessionPolicy }>(
    db,
    sql`select asset_class, session from symbols where symbol = ${symbol}`,
  );
  const row = rows[0];
  const session = row?.session ?? 'regular';
  return { session, calendar: calendarFor(row?.asset_class ?? 'equity', session) };
}

/**
 * Only the bars on the calendar's grid are stored: pre-market and after-hours bars of a regular
 * series, an FX weekend's stray prints, a bar off the session grid (a clock hour straddling the
 * open). What is stored is then exactly what the calendar counts, so coverage of a complete series
 * is 100% and a re-run finds nothing to fetch.
 */
export function keepSessionBars(
  page: ProviderCandle[],
  calendar: CalendarName,
  timeframe: Timeframe,
): ProviderCandle[] {
  if (calendar === '24x7' && timeframe !== '1d') return page;
  let all = true;
  for (const c of page) {
    if (!isBarOpen(calendar, timeframe, c.ts)) {
      all = false;
      break;
    }
  }
  return all ? page : page.filter((c) => isBarOpen(calendar, timeframe, c.ts));
}
