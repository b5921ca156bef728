import type { BackfillRequest } from '@candlebase/contracts';
import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedJob } from '../testing/backfill-checks';
import { type FakePolygon, startFakePolygon } from '../testing/fake-polygon';
import { type Harness, startHarness } from '../testing/harness';

const RANGE = { start_date: '2024-03-04', end_date: '2024-03-08', timeframes: ['1h' as const] };

/** What a series leaves behind in every table that keeps something of it. */
async function footprint(h: Harness, symbol: string) {
  const db = h.test.database.db;
  const [row] = await queryRows<Record<string, number>>(
    db,
    sql`select (select count(*)::int from candles where symbol = ${symbol}) as candles,
               (select coalesce(sum(count), 0)::int from series_coverage where symbol = ${symbol}) as coverage,
               (select coalesce(sum(bars), 0)::int from candle_days where symbol = ${symbol}) as days,
               (select count(*)::int from backfill_job_progress where symbol = ${symbol}) as units`,
  );
  return row;
}

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'resolved';
  } catch (error) {
    return error instanceof TRPCError ? `${error.code}: ${error.message}` : String(error);
  }
};

describe.each(testEngines())('removing, renaming and listing symbols on %s', (engine) => {
  let release: () => void = () => {};
  const held = new Promise<undefined>((resolve) => {
    release = () => resolve(undefined);
  });
  let fake: FakePolygon;
  let h: Harness;
  beforeAll(async () => {
    fake = await startFakePolygon({
      unlisted: ['ZZQQNOTREAL'],
      // HELD's bars wait until the test lets them go: a job that is still working on it.
      fault: (req) => (req.ticker === 'HELD' ? { wait: held } : undefined),
    });
    h = await startHarness(engine, { http: false, provider: fake.provider() });
  });
  afterAll(async () => {
    release();
    await h?.close();
    await fake?.close();
  });

  async function backfilled(symbol: string) {
    await h.caller.symbols.add({ symbol });
    const job = await h.caller.backfill.create({ symbols: [symbol], ...RANGE } as BackfillRequest);
    expect((await finishedJob(h.test.database.db, job.job_id)).status).toBe('completed');
    return footprint(h, symbol);
  }

  it('refuses a symbol the provider does not know, in its words, unless forced', async () => {
    expect(await code(h.caller.symbols.add({ symbol: 'ZZQQNOTREAL' }))).toBe(
      'BAD_REQUEST: Polygon does not know the ticker ZZQQNOTREAL; check the spelling, or add it anyway if polygon is wrong',
    );
    expect(await code(h.caller.symbols.get({ symbol: 'ZZQQNOTREAL' }))).toMatch(/^NOT_FOUND/);
    expect(await h.caller.symbols.lookup({ symbol: 'aapl' })).toEqual({
      symbol: 'AAPL',
      provider: 'polygon',
      exists: true,
      demo: false,
      name: 'AAPL Fake Inc.',
      message: 'Polygon lists AAPL: AAPL Fake Inc.',
    });
    expect((await h.caller.symbols.add({ symbol: 'ZZQQNOTREAL', force: true })).symbol).toBe('ZZQQNOTREAL');
  });

  it('a removal keeping candles leaves them, and their summaries, readable when the symbol comes back', async () => {
    const before = await backfilled('KEEP');
    expect(before?.candles).toBeGreaterThan(0);
    const page = await h.caller.candles.list({ symbol: 'KEEP', timeframe: '1h' });
    expect(await h.caller.symbols.remove({ symbol: 'KEEP', keep_candles: true })).toEqual({
      symbol: 'KEEP',
      candles_deleted: 0,
      candles_kept: before?.candles,
    });
    expect(await code(h.caller.symbols.get({ symbol: 'KEEP' }))).toMatch(/^NOT_FOUND/);
    await h.caller.symbols.add({ symbol: 'KEEP' });
    expect((await h.caller.symbols.get({ symbol: 'KEEP' })).records).toBe(before?.candles);
    expect(await footprint(h, 'KEEP')).toEqual(before);
    expect(await h.caller.candles.list({ symbol: 'KEEP', timeframe: '1h' })).toEqual(page);
  });

  it('a removal deleting candles leaves nothing behind', async () => {
    const before = await backfilled('DROP');
    expect(await h.caller.symbols.remove({ symbol: 'DROP' })).toEqual({
      symbol: 'DROP',
      candles_deleted: before?.candles,
      candles_kept: 0,
    });
    await h.caller.symbols.add({ symbol: 'DROP' });
    expect((await h.caller.symbols.get({ symbol: 'DROP' })).records).toBe(0);
    expect(await footprint(h, 'DROP')).toMatchObject({ candles: 0, coverage: 0, days: 0 });
  });

  it('a rename carries candles, summaries, unit history and list membership along', async () => {
    const before = await backfilled('FB');
    const list = await h.caller.watchlists.create({ name: 'Social' });
    await h.caller.watchlists.addSymbols({ id: list.id, symbols: ['fb', 'KEEP'] });
    const renamed = await h.caller.symbols.rename({ symbol: 'FB', to: 'meta' });
    expect(renamed).toMatchObject({ symbol: 'META', records: before?.candles });
    expect(await footprint(h, 'META')).toEqual(before);
    expect(await footprint(h, 'FB')).toEqual({ candles: 0, coverage: 0, days: 0, units: 0 });
    expect(await code(h.caller.symbols.get({ symbol: 'FB' }))).toMatch(/^NOT_FOUND/);
    const listed = (await h.caller.symbols.list()).map((s) => s.symbol);
    expect(listed).toContain('META');
    expect(listed).not.toContain('FB');
    expect((await h.caller.watchlists.list()).find((w) => w.id === list.id)?.symbols).toEqual(['KEEP', 'META']);
    const jobs = await queryRows<{ symbols: string[] }>(h.test.database.db, sql`select symbols from backfill_jobs`);
    expect(jobs.flatMap((j) => j.symbols)).not.toContain('FB');
  });

  it('refuses a rename onto an existing name, onto kept candles, and while a job works on it', async () => {
    expect(await code(h.caller.symbols.rename({ symbol: 'META', to: 'KEEP' }))).toBe(
      'CONFLICT: Symbol KEEP is already in the watchlist',
    );
    await h.caller.symbols.remove({ symbol: 'KEEP', keep_candles: true });
    expect(await code(h.caller.symbols.rename({ symbol: 'META', to: 'KEEP' }))).toMatch(
      /^CONFLICT: Candles kept from an earlier removal of KEEP are still stored/,
    );
    expect(await code(h.caller.symbols.rename({ symbol: 'META', to: 'META' }))).toMatch(/^BAD_REQUEST/);
    expect(await code(h.caller.symbols.rename({ symbol: 'META', to: 'bad name' }))).toMatch(/^BAD_REQUEST/);

    await h.caller.symbols.add({ symbol: 'HELD' });
    const job = await h.caller.backfill.create({ symbols: ['HELD'], ...RANGE } as BackfillRequest);
    expect(await code(h.caller.symbols.rename({ symbol: 'HELD', to: 'FREED' }))).toBe(
      'CONFLICT: Symbol HELD is being backfilled; cancel the job first or rename it when it ends',
    );
    release();
    await finishedJob(h.test.database.db, job.job_id);
    expect((await h.caller.symbols.rename({ symbol: 'HELD', to: 'FREED' })).symbol).toBe('FREED');
  });

  it('lists: created, renamed, refused twice under one name, emptied, deleted; their symbols stay', async () => {
    const a = await h.caller.watchlists.create({ name: ' Core ' });
    expect(a).toMatchObject({ name: 'Core', symbols: [] });
    expect(await code(h.caller.watchlists.create({ name: 'Core' }))).toBe(
      'CONFLICT: A list named "Core" already exists',
    );
    expect(await code(h.caller.watchlists.create({ name: '' }))).toMatch(
      /^BAD_REQUEST: [\s\S]*List name must not be empty/,
    );
    expect(await code(h.caller.watchlists.addSymbols({ id: a.id, symbols: ['NOPE'] }))).toBe(
      'NOT_FOUND: Not in the watchlist: NOPE; add the symbols first',
    );
    await h.caller.watchlists.addSymbols({ id: a.id, symbols: ['META', 'DROP', 'META'] });
    expect((await h.caller.watchlists.rename({ id: a.id, name: 'Core 2' })).symbols).toEqual(['DROP', 'META']);
    expect((await h.caller.watchlists.removeSymbols({ id: a.id, symbols: ['DROP'] })).symbols).toEqual(['META']);
    await h.caller.watchlists.remove({ id: a.id });
    expect((await h.caller.watchlists.list()).map((w) => w.name)).not.toContain('Core 2');
    expect((await h.caller.symbols.get({ symbol: 'META' })).symbol).toBe('META');
    expect(await code(h.caller.watchlists.remove({ id: a.id }))).toBe(`NOT_FOUND: List ${a.id} was not found`);
  });
});
