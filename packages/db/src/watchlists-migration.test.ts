import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from './client';
import { migrate, migrationVersion } from './migrate';
import { createTestDatabase, olderMigrations, testEngines } from './testing';

describe.each(testEngines())('migrating a database forward to watchlists on %s', (engine) => {
  it('keeps its symbols and candles, and adds lists whose members follow a rename and a removal', async () => {
    const old = olderMigrations({ before: /CREATE TABLE "watchlists"/ });
    const t = await createTestDatabase(engine, { migrationsFolder: old.folder });
    try {
      expect(await migrationVersion(t.database)).not.toMatch(/watchlists/);
      const db = t.database.db;
      await db.execute(
        sql`insert into symbols (symbol, asset_class, provider) values ('FB', 'equity', 'polygon'), ('AAPL', 'equity', 'polygon')`,
      );
      await db.execute(sql`
        insert into candles (symbol, timeframe, ts, open, high, low, close, volume, source)
        values ('FB', '1d', '2021-10-27T00:00:00Z', 316, 326, 312, 312.2, 1000, 'polygon')`);

      expect((await migrate(t.database)).applied).toBeGreaterThanOrEqual(1);
      expect(await queryRows(db, sql`select symbol from symbols order by symbol`)).toEqual([
        { symbol: 'AAPL' },
        { symbol: 'FB' },
      ]);
      expect(await queryRows(db, sql`select symbol, close from candles`)).toEqual([{ symbol: 'FB', close: 312.2 }]);

      await db.execute(sql`insert into watchlists (name) values ('Tech')`);
      await db.execute(sql`
        insert into watchlist_symbols (watchlist_id, symbol)
        select id, s from watchlists, unnest(array['FB', 'AAPL']) as s`);
      await expect(db.execute(sql`insert into watchlists (name) values ('Tech')`)).rejects.toThrow();
      await expect(db.execute(sql`insert into watchlists (name) values ('')`)).rejects.toThrow();
      // A member must be a symbol.
      await expect(
        db.execute(sql`insert into watchlist_symbols (watchlist_id, symbol) select id, 'NOPE' from watchlists`),
      ).rejects.toThrow();

      await db.execute(sql`update symbols set symbol = 'META' where symbol = 'FB'`);
      await db.execute(sql`delete from symbols where symbol = 'AAPL'`);
      expect(await queryRows(db, sql`select symbol from watchlist_symbols`)).toEqual([{ symbol: 'META' }]);
      await db.execute(sql`delete from watchlists`);
      expect(await queryRows(db, sql`select count(*)::int as n from watchlist_symbols`)).toEqual([{ n: 0 }]);
    } finally {
      old.remove();
      await t.drop();
    }
  });
});
