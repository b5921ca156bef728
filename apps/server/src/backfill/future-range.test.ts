import { testEngines } from '@candlebase/db/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';

/** Wednesday 2026-03-18 15:00 UTC: "today" is 2026-03-18 whatever the machine's date. */
const NOW = Date.parse('2026-03-18T15:00:00Z');

describe.each(testEngines())('a backfill range in the future on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine, { clock: () => NOW, env: { WORKER_ENABLED: 'false' } });
  });
  afterAll(async () => h?.close());

  const message = 'Start date 2026-03-19 is in the future (today is 2026-03-18, UTC): there are no bars to fetch yet';

  it('REST refuses a range that starts after today with 422, naming start_date', async () => {
    const res = await fetch(
      `${h.url}/api/v1/backfill?symbols=AAPL&timeframes=1d&start_date=2026-03-19&end_date=2026-04-30`,
      { method: 'POST' },
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      detail: [{ loc: ['query', 'start_date'], msg: message, type: 'value_error' }],
    });
  });

  it('tRPC refuses it with BAD_REQUEST and the same sentence', async () => {
    const err = await h.caller.backfill
      .create({ symbols: ['AAPL'], timeframes: ['1d'], start_date: '2026-03-19', end_date: '2026-04-30' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe('BAD_REQUEST');
    expect((err as TRPCError).message).toBe(message);
  });

  it('accepts a range that starts today or earlier and ends in the future', async () => {
    const today = await h.caller.backfill.create({
      symbols: ['AAPL'],
      timeframes: ['1d'],
      start_date: '2026-03-18',
      end_date: '2026-03-25',
    });
    expect(today.status).toBe('queued');
    const res = await fetch(
      `${h.url}/api/v1/backfill?symbols=MSFT&timeframes=1d&start_date=2026-03-01&end_date=2027-01-01`,
      { method: 'POST' },
    );
    expect(res.status).toBe(200);
  });
});
