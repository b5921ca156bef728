import { calendarFor, countBars, DAY_MS, sessionOnDay } from '@candlebase/calendar';
import type { AssetClass, Timeframe } from '@candlebase/contracts';
import { type Database, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';

/** Daily bars looked at per symbol, newest first: the latest one whose session is stored whole counts. */
const SESSIONS_TRIED = 2;
const NAMED = 10;
/** Room for a provider's rounding: relative to the price, and to the daily volume. */
const PRICE_SLACK = 1e-6;
const VOLUME_SLACK = 0.01;

interface DailyBar {
  symbol: string;
  asset_class: AssetClass;
  itf: Timeframe;
  ts: number;
  high: number;
  low: number;
  volume: number;
}

interface Stretch {
  bar: DailyBar;
  lo: number;
  hi: number;
  expected: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * "Timeframes agree": for every symbol with a daily series and an intraday one, the latest session
 * both hold whole is compared: the daily high may not be below an intraday high of its session
 * (nor the low above an intraday low), and the session's intraday volume may not exceed the daily
 * volume. Any provider's series; the regular session's bars only, as daily bars are. Two
 * statements whatever the number of symbols: the newest daily bars, then one aggregate of the
 * finest intraday series per session along the primary key.
 */
export async function timeframesAgree(database: Database): Promise<{ ok: boolean; details: string }> {
  const daily = await queryRows<DailyBar>(
    database.db,
    sql`select d.symbol, s.asset_class, i.timeframe as itf, (extract(epoch from c.ts) * 1000)::float8 as ts,
               c.high, c.low, c.volume
        from series_coverage d
        join symbols s on s.symbol = d.symbol
        cross join lateral (
          select timeframe from series_coverage i
          where i.symbol = d.symbol and i.timeframe in ('5m', '15m', '1h') and i.count > 0
          order by case i.timeframe when '5m' then 1 when '15m' then 2 else 3 end limit 1) i
        cross join lateral (
          select ts, high, low, volume from candles
          where symbol = d.symbol and timeframe = '1d' order by ts desc limit ${SESSIONS_TRIED}) c
        where d.timeframe = '1d' and d.count > 0
        order by d.symbol, c.ts desc`,
  );
  const stretches: Stretch[] = [];
  for (const bar of daily) {
    const calendar = calendarFor(bar.asset_class);
    const s = sessionOnDay(calendar, Math.floor(Number(bar.ts) / DAY_MS));
    if (!s) continue;
    stretches.push({ bar, lo: s.open, hi: s.close, expected: countBars(calendar, bar.itf, s.open, s.close) });
  }
  if (stretches.length === 0) return { ok: true, details: 'No symbol stores both daily and intraday bars' };
  const sums = await queryRows<{ n: number; high: number | null; low: number | null; volume: number | null }>(
    database.db,
    sql`select a.n, a.high, a.low, a.volume
        from unnest(${sql.param(stretches.map((s) => s.bar.symbol))}::text[],
                    ${sql.param(stretches.map((s) => s.bar.itf))}::text[],
                    ${sql.param(stretches.map((s) => s.lo))}::float8[],
                    ${sql.param(stretches.map((s) => s.hi))}::float8[]) with ordinality as r(symbol, tf, lo, hi, k)
        cross join lateral (
          select count(*)::int as n, max(high) as high, min(low) as low, sum(volume)::float8 as volume from candles
          where symbol = r.symbol and timeframe = r.tf
            and ts >= to_timestamp(r.lo / 1000.0) and ts < to_timestamp(r.hi / 1000.0)) a
        order by r.k`,
  );
  const problems: string[] = [];
  const compared = new Set<string>();
  stretches.forEach((s, i) => {
    const a = sums[i];
    const { bar } = s;
    // The newest whole session of each symbol is its evidence; an incomplete one is skipped.
    if (!a || compared.has(bar.symbol) || Number(a.n) !== s.expected || s.expected === 0) return;
    compared.add(bar.symbol);
    const where = `${bar.symbol} ${day(Number(bar.ts))}`;
    const high = Number(a.high);
    const low = Number(a.low);
    if (Number(bar.high) < high * (1 - PRICE_SLACK)) {
      problems.push(`${where}: daily high ${Number(bar.high)} is below the ${bar.itf} high ${high}`);
    }
    if (Number(bar.low) > low * (1 + PRICE_SLACK)) {
      problems.push(`${where}: daily low ${Number(bar.low)} is above the ${bar.itf} low ${low}`);
    }
    if (Number(a.volume) > Number(bar.volume) * (1 + VOLUME_SLACK)) {
      problems.push(
        `${where}: the ${bar.itf} bars trade ${Number(a.volume)}, more than the daily ${Number(bar.volume)}`,
      );
    }
  });
  if (compared.size === 0) {
    return { ok: true, details: 'No symbol has a daily bar whose session is stored whole intraday yet' };
  }
  if (problems.length === 0) {
    return {
      ok: true,
      details: `Daily and intraday bars agree for ${plural(compared.size, 'symbol')} (latest whole session)`,
    };
  }
  const more = problems.length > NAMED ? `, and ${problems.length - NAMED} more` : '';
  return {
    ok: false,
    details: `${plural(problems.length, 'disagreement')} between daily and intraday bars: ${problems.slice(0, NAMED).join('; ')}${more}`,
  };
}
