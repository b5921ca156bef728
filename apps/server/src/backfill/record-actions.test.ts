import { backfillRequestSchema } from '@candlebase/contracts';
import { testEngines } from '@candlebase/db/testing';
import { createPolygonProvider } from '@candlebase/providers';
import { startFakePolygonCompany } from '@candlebase/providers/testing/fake-polygon-company';
import { describe, expect, it } from 'vitest';
import { finishedJob } from '../testing/backfill-checks';
import { startHarness } from '../testing/harness';
import { createBackfill } from './service';

const DAYS = ['2024-06-03', '2024-06-04', '2024-06-05', '2024-06-06', '2024-06-07'];

describe.each(testEngines())('when a backfill fetches actions, on %s', (engine) => {
  it('a scheduled refresh asks only with its daily series; a manual job always', async () => {
    const fake = await startFakePolygonCompany({
      ticker: 'ACME',
      days: DAYS,
      splits: [{ execution_date: '2024-06-05', split_from: 1, split_to: 2 }],
    });
    const provider = createPolygonProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      requestsPerMinute: 100_000,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    const h = await startHarness(engine, { provider, http: false });
    const splitRequests = () => fake.requests.filter((r) => r.url.pathname === '/v3/reference/splits').length;
    const run = async (timeframes: string[], origin: 'manual' | 'scheduled') => {
      const req = backfillRequestSchema.parse({
        symbols: ['ACME'],
        timeframes,
        start_date: DAYS[0],
        end_date: DAYS[4],
      });
      const job = await createBackfill(h.running.app.database, req, { provider: 'polygon', origin });
      expect((await finishedJob(h.test.database.db, job.job_id)).status).toBe('completed');
    };
    try {
      await run(['1h'], 'scheduled');
      expect(splitRequests()).toBe(0);
      await run(['5m', '1d'], 'scheduled');
      expect(splitRequests()).toBe(1);
      await run(['1h'], 'manual');
      expect(splitRequests()).toBe(2);
      expect(await h.caller.candles.actions({ symbol: 'ACME' })).toEqual([
        { ex_date: '2024-06-05', kind: 'split', ratio: 2, amount: null, source: 'polygon' },
      ]);
    } finally {
      await h.close();
      await fake.close();
    }
  });
});
