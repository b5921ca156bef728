import { testEngines } from '@candlebase/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';

const EXPORTS = ['/api/v1/candles', '/api/v1/candles.csv', '/api/v1/candles.parquet'];

describe.each(testEngines())('exports and the preview under API_TOKEN on %s', (engine) => {
  let open: Harness;
  let guarded: Harness;
  beforeAll(async () => {
    [open, guarded] = await Promise.all([
      startHarness(engine, { env: { API_TOKEN: 'tok', WORKER_ENABLED: 'false' } }),
      startHarness(engine, { env: { API_TOKEN: 'tok', AUTH_READS: 'true', WORKER_ENABLED: 'false' } }),
    ]);
    await open.running.app.database.db.execute(`insert into symbols (symbol) values ('AAPL')`);
  });
  afterAll(async () => Promise.all([open?.close(), guarded?.close()]));

  it('are reads: open with a token configured, guarded only with AUTH_READS', async () => {
    for (const path of EXPORTS) {
      expect((await fetch(`${open.url}${path}?symbols=AAPL&timeframe=1d`)).status).toBe(200);
      expect((await fetch(`${guarded.url}${path}?symbols=AAPL&timeframe=1d`)).status).toBe(401);
      // With the token, the guarded server answers: here a 404, as it has no AAPL.
      const withToken = await fetch(`${guarded.url}${path}?symbols=AAPL&timeframe=1d`, {
        headers: { authorization: 'Bearer tok' },
      });
      expect(withToken.status).toBe(404);
    }
    const preview = '/api/v1/backfill/preview?symbols=AAPL&timeframes=1d&start_date=2024-01-02&end_date=2024-01-05';
    expect((await fetch(`${open.url}${preview}`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${guarded.url}${preview}`, { method: 'POST' })).status).toBe(401);
    const authorized = await fetch(`${guarded.url}${preview}`, {
      method: 'POST',
      headers: { authorization: 'Bearer tok' },
    });
    expect(authorized.status).toBe(200);
  });
});
