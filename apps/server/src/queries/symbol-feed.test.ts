import { decodeSymbolList } from '@candlebase/contracts';
import { testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, startHarness } from '../testing/harness';
import { type Client, clientOf, follow } from '../testing/symbol-feed-client';
import { SymbolListFeed } from './symbol-feed';

// Wednesday 2026-03-11 15:00 UTC; crypto trades around the clock, so only the hour matters.
const T0 = Date.parse('2026-03-11T15:00:00.000Z');

describe.each(testEngines())('the symbol list feed on %s', (engine) => {
  let h: Harness;
  let client: Client;
  let now = T0;

  beforeAll(async () => {
    h = await startHarness(engine, { clock: () => now });
    client = clientOf(h.url);
    await h.caller.symbols.add({ symbol: 'BTC-USD', name: 'Bitcoin' });
    await h.caller.symbols.add({ symbol: 'ETH-USD' });
    // The 13:00 bar closed at 14:00: fresh at 15:00, stale once the 16:00 bar is due.
    await h.test.database.db.execute(
      sql`insert into series_coverage (symbol, timeframe, first_ts, last_ts, count, updated_at)
          values ('BTC-USD', '1h', '2026-03-01T00:00:00Z', '2026-03-11T13:00:00Z', 241, now())`,
    );
    h.running.app.symbolFeed.invalidate();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the snapshot decodes to symbols.list, field for field', async () => {
    const list = await h.caller.symbols.list();
    const snapshot = await h.caller.symbols.snapshot();
    expect(decodeSymbolList(snapshot)).toEqual(list);
    const btc = list.find((s) => s.symbol === 'BTC-USD');
    expect(btc).toMatchObject({ status: 'fresh', records: 241, last_candle_at: '2026-03-11T13:00:00.000Z' });
    expect(list.find((s) => s.symbol === 'ETH-USD')?.status).toBe('no_data');
  });

  it('a change moves that symbol only; a client resumes from its last position without loss', async () => {
    const snapshot = await h.caller.symbols.snapshot();
    const live = follow(client, snapshot.seq);
    try {
      await h.caller.symbols.add({ symbol: 'SOL-USD' });
      await eventually(async () => live.got.length >= 1, 5000, 'the added symbol');
      expect(live.got[0]?.data).toMatchObject({ type: 'changed', removed: [] });
      const first = live.got[0]?.data;
      expect(first?.type === 'changed' && first.symbols.map((s) => s.symbol)).toEqual(['SOL-USD']);

      await h.caller.symbols.remove({ symbol: 'SOL-USD' });
      await eventually(async () => live.got.length >= 2, 5000, 'the removal');
      expect(live.got[1]?.data).toEqual({ type: 'changed', symbols: [], removed: ['SOL-USD'] });
    } finally {
      live.stop();
    }
    // A client that saw only the snapshot gets both changes, in order, from the log.
    const resumed = follow(client, snapshot.seq);
    try {
      await eventually(async () => resumed.got.length >= 2, 5000, 'the missed changes');
      expect(resumed.got.map((m) => m.id)).toEqual(live.got.map((m) => m.id));
    } finally {
      resumed.stop();
    }
  });

  it('a job moves its symbols through backfilling to their new coverage, from its events', async () => {
    const live = follow(client, (await h.caller.symbols.snapshot()).seq);
    try {
      await h.caller.backfill.create({
        symbols: ['ETH-USD'],
        timeframes: ['1d'],
        start_date: '2026-03-02',
        end_date: '2026-03-06',
      });
      const eth = () =>
        live.got
          .flatMap((m) => (m.data.type === 'changed' ? m.data.symbols : []))
          .filter((s) => s.symbol === 'ETH-USD');
      await eventually(async () => eth().some((s) => s.status !== 'backfilling' && s.records > 0), 30_000, 'coverage');
      expect(eth()[0]?.status).toBe('backfilling');
      // Only the job's symbol moved.
      expect(
        live.got.every((m) => m.data.type === 'changed' && m.data.symbols.every((s) => s.symbol === 'ETH-USD')),
      ).toBe(true);
    } finally {
      live.stop();
    }
  });

  it('fresh turns stale by the clock alone, and only that status moves', async () => {
    const live = follow(client, (await h.caller.symbols.snapshot()).seq);
    try {
      now = T0 + 3 * 3600_000;
      h.running.app.symbolFeed.age();
      await eventually(async () => live.got.length >= 1, 5000, 'the status change');
      expect(live.got.map((m) => m.data)).toEqual([{ type: 'status', changes: [['BTC-USD', 'stale']] }]);
      expect((await h.caller.symbols.get({ symbol: 'BTC-USD' })).status).toBe('stale');
    } finally {
      live.stop();
      now = T0;
    }
  });

  it('a position from another process or too old is told to reload, and a malformed one is a 400', async () => {
    const other = follow(client, 'zzzz:3');
    try {
      await eventually(async () => other.got.length >= 1, 5000, 'the reload');
      expect(other.got[0]?.data.type).toBe('reload');
      // The reload carries a position here, so a reconnect does not loop.
      expect(other.got[0]?.id).toBe(h.running.app.symbolFeed.position());
    } finally {
      other.stop();
    }
    const ahead = follow(client, h.running.app.symbolFeed.position(10_000));
    try {
      await eventually(async () => ahead.got.length >= 1, 5000, 'the reload');
      expect(ahead.got[0]?.data.type).toBe('reload');
    } finally {
      ahead.stop();
    }
    const res = await fetch(`${h.url}/trpc/symbols.onChanged?input=${encodeURIComponent('{"lastEventId":"x"}')}`);
    expect(res.status).toBe(400);
  });

  it('keeps only its last changes: a position older than those is no longer served', async () => {
    const feed = new SymbolListFeed(h.running.app.database.db, { keep: 2, clock: () => now });
    const start = (await feed.current()).seq;
    for (const symbol of ['KEEP1', 'KEEP2', 'KEEP3']) {
      await h.caller.symbols.add({ symbol });
      feed.symbolChanged(symbol);
      await feed.current();
    }
    const end = (await feed.current()).seq;
    expect(end - start).toBe(3);
    expect(feed.since(start)).toBeNull();
    expect(feed.since(start + 1)?.map((e) => e.seq)).toEqual([start + 2, start + 3]);
    expect(feed.since(end)).toEqual([]);
    for (const symbol of ['KEEP1', 'KEEP2', 'KEEP3']) await h.caller.symbols.remove({ symbol });
  });

  it("sends a heard change before the timer's re-read, which finds what changed without a NOTIFY", async () => {
    const db = h.running.app.database.db;
    // A factor no test machine reaches: the second re-read below is always too soon.
    const feed = new SymbolListFeed(db, { clock: () => now, rereadCostFactor: 1e9 });
    const start = (await feed.current()).seq;
    // Two edits: one announced (as every process announces its writes), one made straight in SQL.
    await db.execute(sql`update symbols set name = 'Ether, edited in SQL' where symbol = 'ETH-USD'`);
    await db.execute(sql`update symbols set name = 'Bitcoin, announced' where symbol = 'BTC-USD'`);
    // Heard while the timer's re-read is due: the change goes out on its own, then the re-read.
    feed.symbolChanged('BTC-USD');
    feed.reread();
    await feed.current();
    const names = (feed.since(start) ?? []).map((e) =>
      e.change.kind === 'rows' ? e.change.symbols.map((r) => `${r.symbol}: ${r.name}`) : [],
    );
    expect(names).toEqual([['BTC-USD: Bitcoin, announced'], ['ETH-USD: Ether, edited in SQL']]);
    // Straight after its re-read, the timer's next one waits: each costs seconds at 100,000 symbols.
    await db.execute(sql`update symbols set name = 'Ether' where symbol = 'ETH-USD'`);
    const seq = (await feed.current()).seq;
    feed.reread();
    expect((await feed.current()).seq).toBe(seq);
    feed.invalidate();
    expect((await feed.current()).rows.find((r) => r.symbol === 'ETH-USD')?.name).toBe('Ether');
    await db.execute(sql`update symbols set name = 'Bitcoin' where symbol = 'BTC-USD'`);
  });
});
