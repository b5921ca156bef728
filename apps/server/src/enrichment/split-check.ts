import { type Database, queryRows, SPLIT_MOVE } from '@candlebase/db';
import { sql } from 'drizzle-orm';

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
 * "Possible unrecorded split": consecutive bars of an equity or ETF series whose close moves by
 * more than 35% with no recorded split between them. The writer notes such moves as it stores
 * candles (`split_suspects`); the check probes those few against corporate_actions by its key, so
 * it costs the suspects, not the table.
 */
export async function unrecordedSplits(database: Database): Promise<{ ok: boolean; details: string }> {
  const rows = await queryRows<Suspect>(
    database.db,
    sql`with suspects as (
          select m.* from split_suspects m
          where not exists (
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
