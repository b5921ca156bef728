import type { BackfillRequest } from '@candlebase/contracts';
import { createTestDatabase, type TestDatabase, testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimUnit } from '../backfill/claim';
import { cancelBackfill, createBackfill } from '../backfill/service';
import { seriesBusy } from '../enrichment/fill-gaps';
import { listSymbols } from './symbols';

// The symbol list and gap filling answer "is a backfill working on this series?" alike.
describe.each(testEngines())('a busy series on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => t?.drop());

  const NOW = Date.UTC(2024, 1, 1);
  const statusOf = async (symbol: string) =>
    (await listSymbols(t.database.db, { symbols: [symbol], now: NOW }))[0]?.status;
  const busy = async (symbol: string) => ({
    list: (await statusOf(symbol)) === 'backfilling',
    fill: await seriesBusy(t.database.db, symbol, '1d'),
  });

  it('is busy while a unit is pending or running; after a cancel, only while one still runs', async () => {
    const req: BackfillRequest = {
      symbols: ['RUNS', 'WAITS'],
      start_date: '2024-01-02',
      end_date: '2024-01-03',
      timeframes: ['1d'],
      refetch: false,
    };
    const { job_id } = await createBackfill(t.database, req, { provider: 'synthetic' });
    const running = await claimUnit(t.database.db, 'w', 30);
    expect(running?.symbol).toBe('RUNS');
    expect(await busy('RUNS')).toEqual({ list: true, fill: true });
    expect(await busy('WAITS')).toEqual({ list: true, fill: true });

    await cancelBackfill(t.database, job_id);
    // The running claim may store one more page before it sees the cancel: still busy.
    expect(await busy('RUNS')).toEqual({ list: true, fill: true });
    expect(await busy('WAITS')).toEqual({ list: false, fill: false });
    // A unit put back to pending after the cancel (a retry that raced it) only waits to be settled.
    await t.database.db.execute(sql`update backfill_job_progress set status = 'pending' where symbol = 'WAITS'`);
    expect(await busy('WAITS')).toEqual({ list: false, fill: false });
  });
});
