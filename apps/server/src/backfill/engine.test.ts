import type { ProgressMessage } from '@candlebase/contracts';
import { testEngines } from '@candlebase/db/testing';
import { isTrackedEnvelope } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedJob } from '../testing/backfill-checks';
import { eventually, type Harness, startHarness } from '../testing/harness';

/** Server-side callers see tracked() envelopes ([id, data, symbol]); clients see the data. */
function untrack(raw: unknown): ProgressMessage {
  return (isTrackedEnvelope(raw) ? raw[1] : raw) as ProgressMessage;
}

const CRYPTO_WEEK = { start_date: '2024-03-04', end_date: '2024-03-10' };

describe.each(testEngines())('backfill engine on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(async () => h?.close());

  const finished = (jobId: string) => finishedJob(h.test.database.db, jobId, 60_000);

  it('runs a job to completion with consistent aggregates and exact counts', async () => {
    const created = await h.caller.backfill.create({
      symbols: [' btc-usd', 'BTC-USD', 'ETH-USD'],
      timeframes: ['1h', '1d'],
      ...CRYPTO_WEEK,
    });
    expect(created).toMatchObject({
      status: 'queued',
      symbols_count: 2,
      symbols: ['BTC-USD', 'ETH-USD'],
      date_range: { start: '2024-03-04', end: '2024-03-10' },
      timeframes: ['1h', '1d'],
    });
    const s = await finished(created.job_id);
    expect(s.status).toBe('completed');
    expect(s.progress_pct).toBe(100);
    expect(s.symbols_completed).toBe(2);
    expect(s.symbols_total).toBe(2);
    // 7 days of a 24/7 market: 168 hourly and 7 daily bars per symbol.
    expect(s.details.map((d) => [d.symbol, d.timeframe, d.status, d.records_inserted])).toEqual(
      [
        ['BTC-USD', '1h', 'completed', 168],
        ['BTC-USD', '1d', 'completed', 7],
        ['ETH-USD', '1h', 'completed', 168],
        ['ETH-USD', '1d', 'completed', 7],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]))),
    );
    expect(s.total_records_inserted).toBe(2 * (168 + 7));
    expect(s.started_at).not.toBeNull();
    expect(s.completed_at).not.toBeNull();
    const btc = await h.caller.symbols.get({ symbol: 'btc-usd' });
    expect(btc.asset_class).toBe('crypto');
    expect(btc.records).toBe(175);
  });

  it('is idempotent: the same backfill again inserts nothing, a refetch neither', async () => {
    for (const refetch of [false, true]) {
      const again = await h.caller.backfill.create({
        symbols: ['BTC-USD'],
        timeframes: ['1h'],
        refetch,
        ...CRYPTO_WEEK,
      });
      const s = await finished(again.job_id);
      expect(s.status).toBe('completed');
      expect(s.total_records_inserted).toBe(0);
      // The source serves the same values again: a refetch revises nothing.
      expect(s.total_records_updated).toBe(0);
      expect(s.details[0]?.records_updated).toBe(0);
      expect(s.details[0]?.records_fetched).toBe(refetch ? 168 : 0);
    }
  });

  it('inserts only the difference for an overlapping range', async () => {
    const wider = await h.caller.backfill.create({
      symbols: ['BTC-USD'],
      timeframes: ['1h'],
      start_date: '2024-03-01',
      end_date: '2024-03-12',
    });
    const s = await finished(wider.job_id);
    expect(s.total_records_inserted).toBe((3 + 2) * 24);
    const btc = await h.caller.symbols.get({ symbol: 'BTC-USD' });
    expect(btc.coverage.find((c) => c.timeframe === '1h')?.count).toBe(12 * 24);
  });

  it('streams a snapshot then every event in order, and resumes after lastEventId without loss or repeats', async () => {
    const created = await h.caller.backfill.create({
      symbols: ['SOL-USD', 'ADA-USD'],
      timeframes: ['1h'],
      ...CRYPTO_WEEK,
    });
    const all: { type: string; id?: string; kind?: string }[] = [];
    for await (const raw of await h.caller.backfill.onProgress({ jobId: created.job_id })) {
      const msg = untrack(raw);
      all.push(
        msg.type === 'snapshot' ? { type: 'snapshot' } : { type: 'event', id: msg.event.id, kind: msg.event.kind },
      );
    }
    expect(all[0]?.type).toBe('snapshot');
    const events = all.slice(1);
    expect(events[0]?.kind).toBe('job_created');
    expect(events.at(-1)?.kind).toBe('job_completed');
    const ids = events.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(events.filter((e) => e.kind === 'unit_completed')).toHaveLength(2);

    const cut = events[3]?.id ?? '0';
    const resumed: string[] = [];
    for await (const raw of await h.caller.backfill.onProgress({ jobId: created.job_id, lastEventId: cut })) {
      const msg = untrack(raw);
      if (msg.type === 'event') resumed.push(msg.event.id);
    }
    expect(resumed).toEqual(events.slice(4).map((e) => e.id));
  });

  it('cancels: pending units cancelled, nothing left running, the job ends cancelled', async () => {
    const many = Array.from({ length: 12 }, (_, i) => `CX${i}-USD`);
    const created = await h.caller.backfill.create({
      symbols: many,
      timeframes: ['5m'],
      start_date: '2024-01-01',
      end_date: '2024-02-29',
    });
    await eventually(
      async () => (await h.caller.backfill.status({ jobId: created.job_id })).status === 'running',
      30_000,
      'running',
    );
    const cancelled = await h.caller.backfill.cancel({ jobId: created.job_id });
    expect(cancelled.cancel_requested_at).not.toBeNull();
    const s = await finished(created.job_id);
    expect(s.status).toBe('cancelled');
    expect(s.details.every((d) => ['completed', 'cancelled'].includes(d.status))).toBe(true);
    expect(s.details.some((d) => d.status === 'cancelled')).toBe(true);
    await expect(h.caller.backfill.cancel({ jobId: created.job_id })).rejects.toThrow(/already been cancelled/);
  });

  it('answers unknown jobs and bad input with clear errors', async () => {
    await expect(h.caller.backfill.status({ jobId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(h.caller.backfill.status({ jobId: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(h.caller.backfill.onProgress({ jobId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
        message: 'Backfill job 00000000-0000-4000-8000-000000000000 was not found',
      },
    );
    await expect(h.caller.backfill.create({ symbols: [], timeframes: [] })).rejects.toThrow(/No symbols selected/);
    await expect(
      h.caller.backfill.create({
        symbols: ['AAPL'],
        timeframes: ['1h'],
        start_date: '2024-02-01',
        end_date: '2024-01-01',
      }),
    ).rejects.toThrow(/Start date must be before end date/);
  });
});
