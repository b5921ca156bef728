import type { AssetClass } from '@candlebase/contracts';
import { type Db, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';

type Seed = [symbol: string, name: string, assetClass: string, exchange: string, currency: string];

/** Reference facts only: well-known names to start from. Candles come from backfills. */
export const DEMO_WATCHLIST: readonly Seed[] = [
  ['AAPL', 'Apple Inc.', 'equity', 'NASDAQ', 'USD'],
  ['MSFT', 'Microsoft Corporation', 'equity', 'NASDAQ', 'USD'],
  ['GOOGL', 'Alphabet Inc. Class A', 'equity', 'NASDAQ', 'USD'],
  ['AMZN', 'Amazon.com, Inc.', 'equity', 'NASDAQ', 'USD'],
  ['NVDA', 'NVIDIA Corporation', 'equity', 'NASDAQ', 'USD'],
  ['META', 'Meta Platforms, Inc. Class A', 'equity', 'NASDAQ', 'USD'],
  ['TSLA', 'Tesla, Inc.', 'equity', 'NASDAQ', 'USD'],
  ['IBM', 'International Business Machines Corporation', 'equity', 'NYSE', 'USD'],
  ['ORCL', 'Oracle Corporation', 'equity', 'NYSE', 'USD'],
  ['JPM', 'JPMorgan Chase & Co.', 'equity', 'NYSE', 'USD'],
  ['BRK.B', 'Berkshire Hathaway Inc. Class B', 'equity', 'NYSE', 'USD'],
  ['V', 'Visa Inc. Class A', 'equity', 'NYSE', 'USD'],
  ['JNJ', 'Johnson & Johnson', 'equity', 'NYSE', 'USD'],
  ['WMT', 'Walmart Inc.', 'equity', 'NYSE', 'USD'],
  ['XOM', 'Exxon Mobil Corporation', 'equity', 'NYSE', 'USD'],
  ['UNH', 'UnitedHealth Group Incorporated', 'equity', 'NYSE', 'USD'],
  ['PG', 'The Procter & Gamble Company', 'equity', 'NYSE', 'USD'],
  ['KO', 'The Coca-Cola Company', 'equity', 'NYSE', 'USD'],
  ['DIS', 'The Walt Disney Company', 'equity', 'NYSE', 'USD'],
  ['NFLX', 'Netflix, Inc.', 'equity', 'NASDAQ', 'USD'],
  ['AMD', 'Advanced Micro Devices, Inc.', 'equity', 'NASDAQ', 'USD'],
  ['INTC', 'Intel Corporation', 'equity', 'NASDAQ', 'USD'],
  ['SPY', 'SPDR S&P 500 ETF Trust', 'etf', 'NYSE Arca', 'USD'],
  ['QQQ', 'Invesco QQQ Trust', 'etf', 'NASDAQ', 'USD'],
  ['BTC-USD', 'Bitcoin', 'crypto', 'Crypto', 'USD'],
  ['ETH-USD', 'Ethereum', 'crypto', 'Crypto', 'USD'],
  ['SOL-USD', 'Solana', 'crypto', 'Crypto', 'USD'],
  ['XRP-USD', 'XRP', 'crypto', 'Crypto', 'USD'],
  ['ADA-USD', 'Cardano', 'crypto', 'Crypto', 'USD'],
  ['DOGE-USD', 'Dogecoin', 'crypto', 'Crypto', 'USD'],
];

/** Seeds the demo watchlist into a database that has no symbols at all; returns how many it added. */
export async function seedDemoWatchlist(db: Db, providerOf: (assetClass: AssetClass) => string): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`with ins as (
          insert into symbols (symbol, name, asset_class, exchange, currency, provider)
          select s, n, c, e, cur, p
          from unnest(${sql.param(DEMO_WATCHLIST.map((r) => r[0]))}::text[], ${sql.param(DEMO_WATCHLIST.map((r) => r[1]))}::text[],
                      ${sql.param(DEMO_WATCHLIST.map((r) => r[2]))}::text[], ${sql.param(DEMO_WATCHLIST.map((r) => r[3]))}::text[],
                      ${sql.param(DEMO_WATCHLIST.map((r) => r[4]))}::text[],
                      ${sql.param(DEMO_WATCHLIST.map((r) => providerOf(r[2] as AssetClass)))}::text[]) as t(s, n, c, e, cur, p)
          where not exists (select 1 from symbols)
          on conflict (symbol) do nothing
          returning 1)
        select count(*)::int as n from ins`,
  );
  return rows[0]?.n ?? 0;
}
