import type { Adjust, Timeframe } from '@candlebase/contracts';
import { type Executor, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';

/**
 * Read-time adjustment of raw candles by the symbol's recorded actions (backward: the newest bars
 * stay as traded, older ones are brought onto today's share basis).
 *
 * - A split of ratio r divides every earlier price by r and multiplies its volume by r.
 * - With `all`, a cash dividend d also multiplies every earlier price by 1 - d / c, where c is
 *   the raw close of the last bar before its ex-date (the CRSP / Yahoo convention). Both d and c
 *   are on the share basis of that day, so no split needs undoing first.
 *
 * An action applies to bars that open before its boundary: a daily bar (stamped at 00:00 UTC of
 * its session) before the ex-date itself; an intraday bar before 04:00 UTC of the ex-date, which
 * is midnight New York in summer and 23:00 the evening before in winter: either way between the
 * last after-hours bar (20:00 New York) and the next pre-market (04:00).
 */
export interface Adjustment {
  /** Boundaries ascending, epoch ms. */
  readonly boundaries: number[];
  /** The same in `toISOString()` form, which orders as the instants do: pages compare ts text, unparsed. */
  readonly boundariesIso: string[];
  /**
   * For a bar opening in [boundaries[i - 1], boundaries[i]): `ratio[i]`, the product of the later
   * split ratios (prices are divided by it, volume multiplied, so a 4:1 split divides exactly by
   * 4), and `dividend[i]`, the product of the later dividend factors. Index n (after the last) is 1.
   */
  readonly ratio: number[];
  readonly dividend: number[];
}

const INTRADAY_BOUNDARY = 'T04:00:00Z';

function boundarySuffix(timeframe: Timeframe): string {
  return timeframe === '1d' ? 'T00:00:00Z' : INTRADAY_BOUNDARY;
}

interface FactorRow {
  ex_date: string;
  kind: 'split' | 'dividend';
  ratio: number | null;
  amount: number | null;
  prev_close: number | null;
}

/**
 * The factors of one series, from one short query over the symbol's few actions (and, for
 * `all`, one primary-key probe per dividend for its previous close). Null when nothing changes.
 */
export async function loadAdjustment(
  db: Executor,
  series: { symbol: string; timeframe: Timeframe },
  mode: Adjust,
): Promise<Adjustment | null> {
  if (mode === 'none') return null;
  const suffix = boundarySuffix(series.timeframe);
  const withDividends = mode === 'all';
  const rows = await queryRows<FactorRow>(
    db,
    sql`select distinct on (a.ex_date, a.kind) a.ex_date::text as ex_date, a.kind, a.ratio, a.amount,
               case when a.kind = 'dividend' then (
                 select c.close from candles c
                 where c.symbol = a.symbol and c.timeframe = ${series.timeframe}
                   and c.ts < (a.ex_date::text || ${suffix})::timestamptz
                 order by c.ts desc limit 1) end as prev_close
        from corporate_actions a left join symbols s on s.symbol = a.symbol
        where a.symbol = ${series.symbol} ${withDividends ? sql`` : sql`and a.kind = 'split'`}
        order by a.ex_date, a.kind, (a.source = s.provider) desc nulls last, a.fetched_at desc`,
  );
  return buildAdjustment(rows, suffix);
}

/** Cumulative factors from the newest action back; a dividend without a usable previous close is skipped. */
export function buildAdjustment(rows: readonly FactorRow[], suffix: string): Adjustment | null {
  const steps: { at: number; ratio: number; dividend: number }[] = [];
  for (const r of rows) {
    const at = Date.parse(`${r.ex_date}${suffix}`);
    if (r.kind === 'split' && r.ratio !== null && r.ratio > 0) steps.push({ at, ratio: r.ratio, dividend: 1 });
    if (r.kind === 'dividend' && r.amount !== null && r.prev_close !== null && r.amount < r.prev_close) {
      steps.push({ at, ratio: 1, dividend: 1 - r.amount / r.prev_close });
    }
  }
  if (steps.length === 0) return null;
  steps.sort((a, b) => a.at - b.at);
  const n = steps.length;
  const ratio = new Array<number>(n + 1).fill(1);
  const dividend = new Array<number>(n + 1).fill(1);
  for (let i = n - 1; i >= 0; i--) {
    const step = steps[i] as (typeof steps)[number];
    ratio[i] = (ratio[i + 1] as number) * step.ratio;
    dividend[i] = (dividend[i + 1] as number) * step.dividend;
  }
  const boundaries = steps.map((s) => s.at);
  return { boundaries, boundariesIso: boundaries.map((b) => new Date(b).toISOString()), ratio, dividend };
}

/** The index into the factors for a bar opening at `ts`: the first boundary after it. */
function slot<K extends number | string>(b: readonly K[], ts: K): number {
  let lo = 0;
  let hi = b.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((b[mid] as K) <= ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface AdjustableBar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap?: number | null;
}

/** Adjusts bars in place, in one pass, by their `ts`: epoch ms, or text in `toISOString()` form. */
export function applyAdjustment<T extends AdjustableBar & { ts: number | string }>(
  bars: T[],
  adj: Adjustment | null,
): T[] {
  if (!adj) return bars;
  const last = adj.boundaries.length;
  for (const bar of bars) {
    const i = typeof bar.ts === 'number' ? slot(adj.boundaries, bar.ts) : slot(adj.boundariesIso, bar.ts);
    if (i === last) continue;
    const r = adj.ratio[i] as number;
    const d = adj.dividend[i] as number;
    bar.open = (bar.open / r) * d;
    bar.high = (bar.high / r) * d;
    bar.low = (bar.low / r) * d;
    bar.close = (bar.close / r) * d;
    if (bar.vwap !== undefined && bar.vwap !== null) bar.vwap = (bar.vwap / r) * d;
    bar.volume *= r;
  }
  return bars;
}
