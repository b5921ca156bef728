import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';

describe.each(testEngines())('MAX_ACTIVE_JOBS under a race on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    // No worker: every job created stays queued, so the cap is all that stops them.
    h = await startHarness(engine, {
      env: { MAX_ACTIVE_JOBS: '5', BACKFILL_RATE_PER_MINUTE: '1000', WORKER_ENABLED: 'false' },
    });
  });
  afterAll(async () => h?.close());

  it('60 POSTs at once never make more than 5 active jobs; the rest get 429 with Retry-After', async () => {
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        fetch(`${h.url}/api/v1/backfill?symbols=RACE${i}&start_date=2024-01-02&end_date=2024-01-03&timeframes=1d`, {
          method: 'POST',
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(55);
    const refused = responses.find((r) => r.status === 429);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused?.json()) as { detail: string } | undefined)?.detail).toBe(
      '5 backfill jobs are already queued or running (the limit is 5); wait for some to finish or cancel them',
    );
    const active = await queryRows<{ n: number }>(
      h.test.database.db,
      sql`select count(*)::int as n from backfill_jobs where status in ('queued', 'running')`,
    );
    expect(Number(active[0]?.n)).toBe(5);
  });
});
