import { type Database, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';

/** A close-to-close move larger than this, in either direction, looks like a split. */
export const SPLIT_MOVE = 0.35;
const NAMED = 10;

interface Suspect {
  symbol: string;
  timeframe: string;
  ts: string;
  prev_close: number;
  close: number;
  total: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * "Possible unrecorded split": consecutive bars of one series whose close moves by more than 35%
 * with no recorded split between them. Only equities and ETFs are read (crypto and currencies
 * have no splits, and a 35% crypto hour is not a data error). One pass per series in primary-key
 * order (lag() over the (symbol, timeframe, ts) index, no sort), the few suspects then probed
 * against corporate_actions by its key; like the OHLC check it gives up after 15 s on Postgres.
 */
export async function unrecordedSplits(database: Database): Promise<{ ok: boolean; details: string }> {
  const rows = await database.db.transaction(async (tx) => {
    if (database.engine === 'postgres') await tx.execute(sql`set local statement_timeout = '15s'`);
    return queryRows<Suspect>(
      tx,
      sql`with moves as (
            select c.symbol, c.timeframe, c.ts, c.close,
                   lag(c.close) over w as prev_close, lag(c.ts) over w as prev_ts
            from candles c
            where c.symbol in (select symbol from symbols where asset_class in ('equity', 'etf'))
            window w as (partition by c.symbol, c.timeframe order by c.ts)),
          suspects as (
            select m.* from moves m
            where m.prev_close > 0 and abs(m.close / m.prev_close - 1) > ${SPLIT_MOVE}
              and not exists (
                select 1 from corporate_actions a
                where a.symbol = m.symbol and a.kind = 'split'
                  and (a.ex_date::text || case when m.timeframe = '1d' then 'T00:00:00Z' else 'T04:00:00Z' end)::timestamptz
                      > m.prev_ts
                  and (a.ex_date::text || case when m.timeframe = '1d' then 'T00:00:00Z' else 'T04:00:00Z' end)::timestamptz
                      <= m.ts))
          select symbol, timeframe, to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') as ts,
                 prev_close, close, (count(*) over ())::int as total
          from suspects order by symbol, timeframe, ts limit ${NAMED}`,
    );
  });
  const total = Number(rows[0]?.total ?? 0);
  if (total === 0) {
    return { ok: true, details: `No close moves by more than ${SPLIT_MOVE * 100}% without a recorded split` };
  }
  const named = rows.map(
    (r) => `${r.symbol} ${r.timeframe} at ${r.ts} (close ${round(r.prev_close)} to ${round(r.close)})`,
  );
  const more = total > rows.length ? `, and ${total - rows.length} more` : '';
  return {
    ok: false,
    details: `Possible unrecorded split: ${plural(total, 'move')} over ${SPLIT_MOVE * 100}% with no recorded split: ${named.join(', ')}${more}`,
  };
}

function round(x: number): number {
  return Math.round(Number(x) * 10_000) / 10_000;
}
