import { ConflictError, NotFoundError, type SymbolSummary } from '@candlebase/contracts';
import { type Db, queryRows, SYMBOLS_CHANNEL } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import { busySymbols, getSymbol } from './symbols';

/**
 * Every table that names a series' symbol besides `symbols` itself (whose list members follow by
 * the foreign key's cascade): the candles, each summary the writer keeps of them, the actions, and
 * the unit history the symbol list reads its status from.
 */
const CARRIED = [
  'candles',
  'series_coverage',
  'candle_days',
  'candles_quarantine',
  'split_suspects',
  'corporate_actions',
  'backfill_job_progress',
  'backfill_job_events',
] as const;

/**
 * A ticker change (FB -> META): the symbol and everything stored under it move to the new name in
 * one transaction, so no reader sees half a series under each. Refused while a backfill works on
 * it (a unit would go on writing under the old name), when the new name is a symbol, and when
 * candles kept from an earlier removal still sit under the new name (the two would collide).
 */
export async function renameSymbol(db: Db, from: string, to: string, now: number): Promise<SymbolSummary> {
  await db.transaction(async (tx) => {
    // The row lock makes a concurrent rename or removal of the same symbol wait for this one.
    const found = await queryRows(tx, sql`select symbol from symbols where symbol = ${from} for update`);
    if (found.length === 0) throw new NotFoundError(`Symbol ${from} is not in the watchlist`);
    if ((await busySymbols(tx, [from])).has(from)) {
      throw new ConflictError(`Symbol ${from} is being backfilled; cancel the job first or rename it when it ends`);
    }
    const taken = await queryRows(tx, sql`select symbol from symbols where symbol = ${to}`);
    if (taken.length > 0) throw new ConflictError(`Symbol ${to} is already in the watchlist`);
    const kept = await queryRows(
      tx,
      sql`select 1 from series_coverage where symbol = ${to}
          union all select 1 from corporate_actions where symbol = ${to} limit 1`,
    );
    if (kept.length > 0) {
      throw new ConflictError(
        `Candles kept from an earlier removal of ${to} are still stored; add ${to} back, or add and remove it deleting its candles, first`,
      );
    }
    await tx.execute(sql`update symbols set symbol = ${to}, updated_at = now() where symbol = ${from}`);
    for (const table of CARRIED) {
      await tx.execute(sql`update ${sql.identifier(table)} set symbol = ${to} where symbol = ${from}`);
    }
    await tx.execute(sql`
      update backfill_jobs set symbols = array_replace(symbols, ${from}::text, ${to}::text),
        current_symbol = case when current_symbol = ${from} then ${to} else current_symbol end
      where ${from}::text = any(symbols)`);
    // Delivered at commit, to every process's symbol list: one name went, one came.
    await tx.execute(sql`select pg_notify(${SYMBOLS_CHANNEL}, ${from})`);
    await tx.execute(sql`select pg_notify(${SYMBOLS_CHANNEL}, ${to})`);
  });
  return getSymbol(db, to, now);
}
