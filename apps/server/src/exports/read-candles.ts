import { DAY_MS } from '@candlebase/calendar';
import { type CandlesExportQuery, type ExportCursor, NotFoundError } from '@candlebase/contracts';
import { type Executor, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import { type Adjustment, applyAdjustment, loadAdjustment } from '../actions/adjust';

/** One exported bar; `ts` in epoch ms, so the adjustment and both writers skip date parsing. */
export interface ExportRow {
  symbol: string;
  timeframe: string;
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap: number | null;
  trades: number | null;
  source: string;
}

/** Rows per keyset page of a streamed export: one round trip per page, a page's objects the only rows held. */
export const EXPORT_PAGE_ROWS = 10_000;

/** [from, to) in ms of the query's inclusive UTC days; open-ended where a date is absent. */
export function exportWindow(q: Pick<CandlesExportQuery, 'start_date' | 'end_date'>): {
  from: number | null;
  to: number | null;
} {
  return {
    from: q.start_date ? Date.parse(`${q.start_date}T00:00:00Z`) : null,
    to: q.end_date ? Date.parse(`${q.end_date}T00:00:00Z`) + DAY_MS : null,
  };
}

/** Refuses, before a byte is sent, symbols this server has never heard of (a typo, most likely). */
export async function requireKnownSymbols(db: Executor, symbols: string[]): Promise<void> {
  const rows = await queryRows<{ symbol: string }>(
    db,
    sql`select symbol from symbols where symbol = any(${sql.param(symbols)}::text[])`,
  );
  const known = new Set(rows.map((r) => r.symbol));
  const missing = symbols.filter((s) => !known.has(s));
  if (missing.length > 0) {
    throw new NotFoundError(
      `Unknown symbol${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: add ${missing.length > 1 ? 'them' : 'it'} or run a backfill first`,
    );
  }
}

type RawRow = Omit<ExportRow, 'ts' | 'symbol' | 'timeframe'> & { ts: unknown };

/** One keyset page of a symbol's series, oldest first, strictly after `after` (ms). */
async function seriesPage(
  db: Executor,
  q: CandlesExportQuery,
  symbol: string,
  after: number | null,
  limit: number,
  adj: Adjustment | null,
): Promise<ExportRow[]> {
  const { from, to } = exportWindow(q);
  const lo = after ?? (from === null ? null : from - 1);
  const rows = await queryRows<RawRow>(
    db,
    sql`select (extract(epoch from ts) * 1000)::float8 as ts, open, high, low, close, volume, vwap, trades, source
        from candles where symbol = ${symbol} and timeframe = ${q.timeframe}
        ${lo === null ? sql`` : sql`and ts > ${new Date(lo).toISOString()}::timestamptz`}
        ${to === null ? sql`` : sql`and ts < ${new Date(to).toISOString()}::timestamptz`}
        order by ts limit ${limit}`,
  );
  const out = rows as unknown as ExportRow[];
  // In place, as the list query does: a page of fresh objects is a large share of the cost.
  for (const r of out) {
    r.ts = Number(r.ts);
    r.symbol = symbol;
    r.timeframe = q.timeframe;
    if (r.trades !== null) r.trades = Number(r.trades);
  }
  return applyAdjustment(out, adj);
}

/**
 * Every bar the query selects, symbol by symbol in the order asked, each oldest first, in pages
 * of at most `pageRows`: the caller writes one page before the next is read, so the rows held
 * never exceed a page whatever the export's size.
 */
export async function* exportPages(
  db: Executor,
  q: CandlesExportQuery,
  pageRows = EXPORT_PAGE_ROWS,
): AsyncGenerator<ExportRow[]> {
  for (const symbol of q.symbols) {
    const adj = await loadAdjustment(db, { symbol, timeframe: q.timeframe }, q.adjust);
    let after: number | null = null;
    for (;;) {
      const page = await seriesPage(db, q, symbol, after, pageRows, adj);
      if (page.length > 0) yield page;
      if (page.length < pageRows) break;
      after = (page[page.length - 1] as ExportRow).ts;
    }
  }
}

/** One page of the JSON export from `cursor` on, across symbols; the cursor is the last row's (symbol, ts). */
export async function exportPage(
  db: Executor,
  q: CandlesExportQuery,
): Promise<{ rows: ExportRow[]; next: ExportCursor | null }> {
  const start = q.cursor ? q.symbols.indexOf(q.cursor.symbol) : 0;
  const rows: ExportRow[] = [];
  // One row more than asked says whether another page follows.
  const want = q.limit + 1;
  for (let i = Math.max(0, start); i < q.symbols.length && rows.length < want; i++) {
    const symbol = q.symbols[i] as string;
    const after = q.cursor && i === start && q.cursor.symbol === symbol ? q.cursor.ts : null;
    const adj = await loadAdjustment(db, { symbol, timeframe: q.timeframe }, q.adjust);
    rows.push(...(await seriesPage(db, q, symbol, after, want - rows.length, adj)));
  }
  const more = rows.length > q.limit;
  if (more) rows.length = q.limit;
  const last = rows[rows.length - 1];
  return { rows, next: more && last ? { symbol: last.symbol, ts: last.ts } : null };
}
