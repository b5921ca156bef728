import { type Db, queryRows } from '@candlebase/db';
import type { MarketDataProvider } from '@candlebase/providers';
import { sql } from 'drizzle-orm';
import { replaceActions } from '../actions/store';
import type { ClaimedUnit } from './claim';
import { recordOnJob } from './ledger';
import { describeError } from './run-unit';
import { limitTransaction, type TxTimeouts } from './tx-timeouts';

/** From the start, so that a split decades back still adjusts whatever history is stored. */
const EARLIEST = '1970-01-01';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * Whether this unit fetches its symbol's actions: the job's first unit of the symbol does, once.
 * Choosing by unit id (not by who runs first) means two timeframes of one symbol running side by
 * side never both spend quota on it, and a retried unit does not fetch again once an outcome is
 * recorded. Scheduled refreshes fetch them only with the daily series (once a day): the intraday
 * refresh every 15 minutes would otherwise spend two of Polygon's five requests a minute per
 * symbol on lists that change a few times a year.
 */
async function isDue(db: Db, unit: ClaimedUnit): Promise<boolean> {
  const rows = await queryRows<{ due: boolean }>(
    db,
    sql`select (select min(id) from backfill_job_progress where job_id = ${unit.jobId} and symbol = ${unit.symbol}) = ${unit.id}
               and not exists (select 1 from backfill_job_events where job_id = ${unit.jobId} and symbol = ${unit.symbol}
                               and kind in ('actions_recorded', 'actions_failed'))
               and (j.origin <> 'scheduled' or exists (
                     select 1 from backfill_job_progress where job_id = j.id and symbol = ${unit.symbol} and timeframe = '1d')) as due
        from backfill_jobs j where j.id = ${unit.jobId}`,
  );
  return rows[0]?.due === true;
}

/**
 * Fetches and stores a symbol's splits and dividends with ex-dates up to `now` (an action not yet
 * effective must not adjust today's prices), once per job and symbol. Inserts no candles and
 * counts nothing into records_inserted. A failure is recorded as an `actions_failed` event and
 * never fails the unit: the candles are worth having without the actions.
 */
export async function recordActions(
  db: Db,
  provider: MarketDataProvider,
  unit: ClaimedUnit,
  signal: AbortSignal,
  now: number,
  timeouts?: TxTimeouts | null,
): Promise<void> {
  if (!provider.fetchActions || !(await isDue(db, unit))) return;
  const to = new Date(now).toISOString().slice(0, 10);
  let outcome: { kind: 'actions_recorded' | 'actions_failed'; message: string; data: Record<string, unknown> };
  try {
    const actions = await provider.fetchActions({
      symbol: unit.symbol,
      from: new Date(EARLIEST),
      to: new Date(now),
      signal,
    });
    const splits = actions.filter((a) => a.kind === 'split').length;
    const dividends = actions.length - splits;
    outcome = {
      kind: 'actions_recorded',
      message: `${unit.symbol}: ${plural(splits, 'split')} and ${plural(dividends, 'dividend')} recorded from ${provider.name}`,
      data: { splits, dividends, source: provider.name, through: to },
    };
    await db.transaction(async (tx) => {
      await limitTransaction(tx, timeouts, unit);
      await replaceActions(tx, { symbol: unit.symbol, source: provider.name, from: EARLIEST, to, actions });
      await recordOnJob(tx, unit.jobId, () => ({ symbol: unit.symbol, ...outcome }), { refresh: false });
    });
  } catch (err) {
    signal.throwIfAborted();
    const { message } = describeError(err);
    outcome = {
      kind: 'actions_failed',
      message: `${unit.symbol}: splits and dividends could not be fetched (${message}); prices are stored unadjusted until a later backfill records them`,
      data: { error: message, source: provider.name },
    };
    await db.transaction(async (tx) => {
      await limitTransaction(tx, timeouts, unit);
      await recordOnJob(tx, unit.jobId, () => ({ symbol: unit.symbol, ...outcome }), { refresh: false });
    });
  }
}
