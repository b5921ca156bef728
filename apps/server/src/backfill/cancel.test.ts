import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, finishedJob, unitRows } from '../testing/backfill-checks';
import { type AggsRequest, type FakePolygon, type Fault, startFakePolygon } from '../testing/fake-polygon';
import { eventually, type Harness, startHarness } from '../testing/harness';

/** Crypto 5-minute bars from a fake Polygon, 96 a page: plenty of page boundaries to stop at. */
describe.each(testEngines())('cancelling a running job on %s', (engine) => {
  let h: Harness;
  let fake: FakePolygon;
  let fault: (req: AggsRequest) => Fault | undefined = () => undefined;

  beforeAll(async () => {
    fake = await startFakePolygon({ pageSize: 96, fault: (req) => fault(req) });
    // A long lease renews rarely, so a cancel is seen at a page boundary rather than by the renewer.
    h = await startHarness(engine, {
      provider: fake.provider({ retry: { maxAttempts: 1 } }),
      env: { WORKER_LEASE_SECONDS: '30' },
    });
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  const finished = (jobId: string) => finishedJob(h.test.database.db, jobId, 30_000);

  async function storedFor(symbols: string[]): Promise<number> {
    const rows = await queryRows<{ n: number }>(
      h.test.database.db,
      sql`select count(*)::int as n from candles where symbol = any(${sql.param(symbols)}::text[])`,
    );
    return Number(rows[0]?.n ?? 0);
  }

  it('stops running units at their next page: nothing left running, nothing written after the end', async () => {
    fault = () => undefined;
    const symbols = Array.from({ length: 8 }, (_, i) => `STOP${i}-USD`);
    const { job_id } = await h.caller.backfill.create({
      symbols,
      timeframes: ['5m'],
      start_date: '2024-01-01',
      end_date: '2024-01-30',
    });
    await eventually(
      async () =>
        (await unitRows(h.test.database.db, job_id)).some((u) => u.status === 'running' && u.records_inserted > 0),
      30_000,
      'a unit midway',
    );
    await h.caller.backfill.cancel({ jobId: job_id });
    const s = await finished(job_id);
    expect(s.status).toBe('cancelled');
    const units = await unitRows(h.test.database.db, job_id);
    expect(units.filter((u) => !['completed', 'cancelled'].includes(u.status))).toEqual([]);
    expect(units.some((u) => u.status === 'cancelled')).toBe(true);

    const stored = await storedFor(symbols);
    expect(stored).toBe(s.total_records_inserted);
    expect(units.reduce((n, u) => n + u.records_inserted, 0)).toBe(stored);
    // Each unit that was running wrote at most the page it had in hand when the cancel committed
    // (whose event may still land after it) and the next one, at whose end it sees the cancel.
    const events = await allEvents(h.test.database.db, job_id);
    const cancelAt = events.findIndex((e) => e.kind === 'cancel_requested');
    const after = events.slice(cancelAt + 1);
    const pagesAfter = new Map<string, number>();
    for (const e of after.filter((x) => x.kind === 'unit_progress')) {
      pagesAfter.set(String(e.symbol), (pagesAfter.get(String(e.symbol)) ?? 0) + 1);
    }
    expect(Math.max(0, ...pagesAfter.values())).toBeLessThanOrEqual(2);
    expect(events.at(-1)?.kind).toBe('job_cancelled');
    // And later still, nothing moves.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await storedFor(symbols)).toBe(stored);
    expect((await allEvents(h.test.database.db, job_id)).length).toBe(events.length);
  });

  it('a retryable provider error that lands after the cancel does not strand its unit', async () => {
    let release: (f: Fault | undefined) => void = () => {};
    const held = new Promise<Fault | undefined>((resolve) => {
      release = resolve;
    });
    let holding = false;
    fault = (req) => {
      if (req.ticker !== 'X:LATEUSD') return undefined;
      holding = true;
      return { wait: held };
    };
    const { job_id } = await h.caller.backfill.create({
      symbols: ['LATE-USD'],
      timeframes: ['1h'],
      start_date: '2024-03-04',
      end_date: '2024-03-06',
    });
    await eventually(async () => holding, 30_000, 'the request to arrive');
    // The cancel commits while the request is in flight; then the provider answers 503, a retryable error.
    await h.caller.backfill.cancel({ jobId: job_id });
    release({ status: 503, json: { status: 'ERROR', error: 'Service unavailable' } });
    const s = await finished(job_id);
    fault = () => undefined;
    expect(s.status).toBe('cancelled');
    expect(s.details.map((d) => d.status)).toEqual(['cancelled']);
    expect(s.total_records_inserted).toBe(0);
  });
});
