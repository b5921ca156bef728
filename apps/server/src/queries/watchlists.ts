import { ConflictError, NotFoundError, type Watchlist } from '@candlebase/contracts';
import { type Db, type Executor, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';

/** Postgres' unique_violation: the one failure a list's name can cause. */
const isUniqueViolation = (error: unknown): boolean =>
  (error as { code?: string })?.code === '23505' || (error as { cause?: { code?: string } })?.cause?.code === '23505';

const taken = (name: string) => new ConflictError(`A list named "${name}" already exists`);
const missing = (id: number) => new NotFoundError(`List ${id} was not found`);

/** Every list with its members, by name. */
export async function listWatchlists(db: Executor): Promise<Watchlist[]> {
  const rows = await queryRows<{ id: number; name: string; symbols: string[] | null }>(
    db,
    sql`select w.id, w.name,
          coalesce((select array_agg(m.symbol order by m.symbol) from watchlist_symbols m where m.watchlist_id = w.id), '{}') as symbols
        from watchlists w order by lower(w.name), w.id`,
  );
  return rows.map((r) => ({ id: Number(r.id), name: r.name, symbols: r.symbols ?? [] }));
}

async function oneList(db: Executor, id: number): Promise<Watchlist> {
  const list = (await listWatchlists(db)).find((w) => w.id === id);
  if (!list) throw missing(id);
  return list;
}

export async function createWatchlist(db: Db, name: string): Promise<Watchlist> {
  try {
    const [row] = await queryRows<{ id: number }>(db, sql`insert into watchlists (name) values (${name}) returning id`);
    return { id: Number(row?.id), name, symbols: [] };
  } catch (error) {
    throw isUniqueViolation(error) ? taken(name) : error;
  }
}

export async function renameWatchlist(db: Db, id: number, name: string): Promise<Watchlist> {
  try {
    const rows = await queryRows(db, sql`update watchlists set name = ${name} where id = ${id} returning id`);
    if (rows.length === 0) throw missing(id);
  } catch (error) {
    throw isUniqueViolation(error) ? taken(name) : error;
  }
  return oneList(db, id);
}

/** Deletes the list only; its symbols stay in "All symbols". */
export async function deleteWatchlist(db: Db, id: number): Promise<{ id: number }> {
  const rows = await queryRows(db, sql`delete from watchlists where id = ${id} returning id`);
  if (rows.length === 0) throw missing(id);
  return { id };
}

/** Adds symbols to a list; each must be a symbol already, and one already in the list stays once. */
export async function addToWatchlist(db: Db, id: number, symbols: readonly string[]): Promise<Watchlist> {
  await db.transaction(async (tx) => {
    const list = await queryRows(tx, sql`select id from watchlists where id = ${id} for update`);
    if (list.length === 0) throw missing(id);
    const wanted = [...new Set(symbols)];
    const known = await queryRows<{ symbol: string }>(
      tx,
      sql`select symbol from symbols where symbol = any(${sql.param(wanted)}::text[])`,
    );
    const have = new Set(known.map((r) => r.symbol));
    const unknown = wanted.filter((s) => !have.has(s));
    if (unknown.length > 0) {
      const named = unknown.slice(0, 10).join(', ');
      const more = unknown.length > 10 ? ` and ${unknown.length - 10} more` : '';
      throw new NotFoundError(`Not in the watchlist: ${named}${more}; add the symbols first`);
    }
    await tx.execute(sql`
      insert into watchlist_symbols (watchlist_id, symbol)
      select ${id}, s from unnest(${sql.param(wanted)}::text[]) as s
      on conflict do nothing`);
  });
  return oneList(db, id);
}

/** Takes symbols out of a list (not out of the database); ones not in it are ignored. */
export async function removeFromWatchlist(db: Db, id: number, symbols: readonly string[]): Promise<Watchlist> {
  const list = await queryRows(db, sql`select id from watchlists where id = ${id}`);
  if (list.length === 0) throw missing(id);
  await db.execute(
    sql`delete from watchlist_symbols where watchlist_id = ${id} and symbol = any(${sql.param([...symbols])}::text[])`,
  );
  return oneList(db, id);
}
