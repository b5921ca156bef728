import type { CorporateAction } from '@candlebase/contracts';
import { type Executor, queryRows } from '@candlebase/db';
import type { ProviderAction } from '@candlebase/providers';
import { sql } from 'drizzle-orm';

/**
 * One action per (ex-date, kind): a source that lists two dividends on one day (a regular and a
 * special) means their sum, two split rows on one day their product.
 */
export function mergeSameDay(actions: readonly ProviderAction[]): ProviderAction[] {
  const byKey = new Map<string, ProviderAction>();
  for (const a of actions) {
    const key = `${a.exDate}|${a.kind}`;
    const seen = byKey.get(key);
    if (a.kind === 'split') {
      const ratio = a.ratio ?? Number.NaN;
      if (!(ratio > 0) || !Number.isFinite(ratio)) continue;
      byKey.set(key, { exDate: a.exDate, kind: 'split', ratio: (seen?.ratio ?? 1) * ratio });
    } else {
      const amount = a.amount ?? Number.NaN;
      if (!(amount >= 0) || !Number.isFinite(amount)) continue;
      byKey.set(key, { exDate: a.exDate, kind: 'dividend', amount: (seen?.amount ?? 0) + amount });
    }
  }
  return [...byKey.values()].sort((a, b) => a.exDate.localeCompare(b.exDate) || a.kind.localeCompare(b.kind));
}

/**
 * Replaces what `source` says about `symbol` for ex-dates in [from, to] with `actions`, in one
 * transaction: an action the source has since withdrawn (a split published in error) goes too.
 * Returns how many rows the source now has in that range.
 */
export async function replaceActions(
  tx: Executor,
  write: { symbol: string; source: string; from: string; to: string; actions: readonly ProviderAction[] },
): Promise<number> {
  const rows = mergeSameDay(write.actions).filter((a) => a.exDate >= write.from && a.exDate <= write.to);
  await tx.execute(sql`
    delete from corporate_actions
    where symbol = ${write.symbol} and source = ${write.source}
      and ex_date between ${write.from}::date and ${write.to}::date`);
  if (rows.length === 0) return 0;
  await tx.execute(sql`
    insert into corporate_actions (symbol, ex_date, kind, ratio, amount, source, fetched_at)
    select ${write.symbol}, d, k, r, a, ${write.source}, now()
    from unnest(${sql.param(rows.map((r) => r.exDate))}::text[]::date[], ${sql.param(rows.map((r) => r.kind))}::text[],
                ${sql.param(rows.map((r) => (r.kind === 'split' ? (r.ratio ?? null) : null)))}::float8[],
                ${sql.param(rows.map((r) => (r.kind === 'dividend' ? (r.amount ?? null) : null)))}::float8[]) as t(d, k, r, a)`);
  return rows.length;
}

type ActionRow = Omit<CorporateAction, 'ex_date'> & { ex_date: string };

/**
 * The actions that apply to a symbol's prices, oldest first: where two sources record the same
 * (ex-date, kind), the symbol's own provider wins, then the latest fetched, so a split is never
 * applied twice. The primary key's leading symbol makes this a short index range read.
 */
export async function listActions(db: Executor, symbol: string): Promise<CorporateAction[]> {
  return queryRows<ActionRow>(
    db,
    sql`select distinct on (a.ex_date, a.kind) a.ex_date::text as ex_date, a.kind, a.ratio, a.amount, a.source
        from corporate_actions a left join symbols s on s.symbol = a.symbol
        where a.symbol = ${symbol}
        order by a.ex_date, a.kind, (a.source = s.provider) desc nulls last, a.fetched_at desc`,
  );
}
