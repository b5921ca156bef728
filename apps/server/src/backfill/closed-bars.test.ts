import type { BackfillStatus, ProgressMessage } from '@candlebase/contracts';
import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import { isTrackedEnvelope } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedJob, storedBars } from '../testing/backfill-checks';
import { asStored, barAsOf, barAt, type FakePolygon, startFakePolygon } from '../testing/fake-polygon';
import { type Harness, startHarness } from '../testing/harness';

const MIN = 60_000;
const STEP = 5 * MIN;
// A Wednesday in the middle of the NYSE session (13:30-20:00 UTC in March after the DST change).
const WEDNESDAY = Date.parse('2024-03-13T15:07:00Z');
const DAY_OF = Date.parse('2024-03-13T00:00:00Z');
const LATE_MS = 15 * MIN;

/** What the fake serves for X:BTCUSD 5m opens in [from, to) at `now`, as stored. */
function served(from: number, to: number, now: number) {
  const out: ReturnType<typeof asStored>[] = [];
  for (let t = from; t < to; t += STEP) out.push(asStored(barAsOf(barAt('X:BTCUSD', t), STEP, now, LATE_MS)));
  return out;
}

const units = (s: BackfillStatus) =>
  s.details.map((d) => [d.symbol, d.timeframe, d.status, d.records_inserted, d.records_updated]);

describe.each(testEngines())('closed bars only, and revisions, on %s', (engine) => {
  let now = WEDNESDAY;
  const clock = () => now;
  let polygon: FakePolygon;
  beforeAll(async () => {
    polygon = await startFakePolygon({ now: clock, lateMs: LATE_MS });
  });
  afterAll(async () => polygon?.close());

  async function run(h: Harness, request: Parameters<Harness['caller']['backfill']['create']>[0]) {
    const created = await h.caller.backfill.create(request);
    const s = await finishedJob(h.test.database.db, created.job_id);
    expect(s.status, JSON.stringify(s.details.map((d) => d.error_message))).toBe('completed');
    return s;
  }

  describe('with Polygon settling bars 15 minutes after their close', () => {
    let h: Harness;
    beforeAll(async () => {
      now = WEDNESDAY;
      h = await startHarness(engine, { provider: polygon.provider(), clock, http: false });
    });
    afterAll(async () => h?.close());

    it('a backfill through today stores no open bar and none within the settle time; a later run stores them', async () => {
      const request = {
        symbols: ['BTC-USD', 'AAPL'],
        timeframes: ['5m', '1d'],
        start_date: '2024-03-11',
        end_date: '2024-03-13',
      };
      const first = await run(h, request);
      // BTC 5m: every bar whose close is 15 minutes past by 15:07, the last one 14:45-14:50.
      // 1d: Monday and Tuesday; Wednesday's session (AAPL) and UTC day (BTC) have not closed.
      expect(units(first)).toEqual([
        ['AAPL', '1d', 'completed', 2, 0],
        ['AAPL', '5m', 'completed', expect.any(Number), 0],
        ['BTC-USD', '1d', 'completed', 2, 0],
        ['BTC-USD', '5m', 'completed', 2 * 288 + 178, 0],
      ]);
      const db = h.test.database.db;
      const btc = await storedBars(db, 'BTC-USD', '5m');
      expect(btc).toEqual(served(Date.parse('2024-03-11T00:00:00Z'), Date.parse('2024-03-13T14:50:00Z'), now));
      const aapl = await storedBars(db, 'AAPL', '5m');
      expect(aapl.at(-1)?.ts).toBe(Date.parse('2024-03-13T14:45:00Z'));
      expect((await storedBars(db, 'AAPL', '1d')).map((b) => b.ts)).toEqual([
        DAY_OF - 2 * 86_400_000,
        DAY_OF - 86_400_000,
      ]);
      expect((await storedBars(db, 'BTC-USD', '1d')).map((b) => b.ts)).toEqual([
        DAY_OF - 2 * 86_400_000,
        DAY_OF - 86_400_000,
      ]);
      const stamps = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from candles where fetched_at <> to_timestamp(${WEDNESDAY} / 1000.0) or revised`,
      );
      expect(Number(stamps[0]?.n)).toBe(0);

      // 33 minutes later the bars from 14:50 to 15:20 have closed and settled; nothing stored changed.
      now = WEDNESDAY + 33 * MIN;
      const second = await run(h, request);
      expect(units(second)).toEqual([
        ['AAPL', '1d', 'completed', 0, 0],
        ['AAPL', '5m', 'completed', 7, 0],
        ['BTC-USD', '1d', 'completed', 0, 0],
        ['BTC-USD', '5m', 'completed', 7, 0],
      ]);
      expect(second.total_records_inserted).toBe(14);
      expect(second.total_records_updated).toBe(0);
      expect(await storedBars(db, 'BTC-USD', '5m')).toEqual(
        served(Date.parse('2024-03-11T00:00:00Z'), Date.parse('2024-03-13T15:25:00Z'), now),
      );
      expect((await storedBars(db, 'AAPL', '5m')).at(-1)?.ts).toBe(Date.parse('2024-03-13T15:20:00Z'));
    });
  });

  describe('with a settle time shorter than the provider revises for', () => {
    let h: Harness;
    beforeAll(async () => {
      now = WEDNESDAY;
      h = await startHarness(engine, { provider: polygon.provider({ settleMs: 0 }), clock });
    });
    afterAll(async () => h?.close());

    it('a revision is counted as updated, exactly, and the stored values are the latest; the same values again update nothing', async () => {
      const request = { symbols: ['BTC-USD'], timeframes: ['5m'], start_date: '2024-03-13', end_date: '2024-03-13' };
      const first = await run(h, request);
      // Every bar closed by 15:07: 00:00 through 15:00; the last three are still taking late prints.
      expect(units(first)).toEqual([['BTC-USD', '5m', 'completed', 181, 0]]);

      now = WEDNESDAY + 5 * MIN;
      const second = await run(h, { ...request, refetch: true });
      // 15:05 is new; 14:50, 14:55 and 15:00 have changed since; 14:45 had settled already.
      expect(units(second)).toEqual([['BTC-USD', '5m', 'completed', 1, 3]]);
      expect(second.total_records_inserted).toBe(1);
      expect(second.total_records_updated).toBe(3);
      const db = h.test.database.db;
      expect(await storedBars(db, 'BTC-USD', '5m')).toEqual(served(DAY_OF, Date.parse('2024-03-13T15:10:00Z'), now));
      const revised = await queryRows<{ ts: number; fetched: number }>(
        db,
        sql`select (extract(epoch from ts) * 1000)::float8 as ts, (extract(epoch from fetched_at) * 1000)::float8 as fetched
            from candles where revised order by ts`,
      );
      expect(revised.map((r) => [Number(r.ts), Number(r.fetched)])).toEqual(
        ['14:50', '14:55', '15:00'].map((hm) => [Date.parse(`2024-03-13T${hm}:00Z`), now]),
      );
      // candles.list shows each bar's provenance.
      const listed = await h.caller.candles.list({ symbol: 'BTC-USD', timeframe: '5m', limit: 5 });
      expect(listed.candles.map((c) => [c.ts.slice(11, 16), c.source, c.fetched_at, c.revised])).toEqual([
        ['15:05', 'polygon', new Date(now).toISOString(), false],
        ['15:00', 'polygon', new Date(now).toISOString(), true],
        ['14:55', 'polygon', new Date(now).toISOString(), true],
        ['14:50', 'polygon', new Date(now).toISOString(), true],
        ['14:45', 'polygon', new Date(WEDNESDAY).toISOString(), false],
      ]);
      // The classic REST answer carries the same counts.
      const rest = (await (await fetch(`${h.url}/api/v1/backfill/status/${second.job_id}`)).json()) as BackfillStatus;
      expect(rest.total_records_inserted).toBe(1);
      expect(rest.total_records_updated).toBe(3);
      expect(rest.details.map((d) => [d.records_inserted, d.records_updated])).toEqual([[1, 3]]);
      const recent = (await (await fetch(`${h.url}/api/v1/backfill/recent?limit=1`)).json()) as BackfillStatus[];
      expect(recent[0]?.total_records_updated).toBe(3);

      // tRPC: status, recent, and the progress stream's snapshot and events say the same.
      expect((await h.caller.backfill.status({ jobId: second.job_id })).total_records_updated).toBe(3);
      expect((await h.caller.backfill.recent({ limit: 1 }))[0]?.total_records_updated).toBe(3);
      const messages: ProgressMessage[] = [];
      for await (const raw of await h.caller.backfill.onProgress({ jobId: second.job_id })) {
        messages.push((isTrackedEnvelope(raw) ? raw[1] : raw) as ProgressMessage);
      }
      const snapshot = messages[0];
      expect(snapshot?.type === 'snapshot' && snapshot.units.map((u) => u.records_updated)).toEqual([3]);
      const events = messages.flatMap((m) => (m.type === 'event' ? [m.event] : []));
      expect(events.filter((e) => e.kind === 'unit_progress').reduce((n, e) => n + Number(e.data?.updated), 0)).toBe(3);
      expect(events.find((e) => e.kind === 'unit_completed')?.data).toMatchObject({
        records_inserted: 1,
        records_updated: 3,
      });
      expect(events.find((e) => e.kind === 'job_completed')).toMatchObject({
        message: 'Job completed: 1 records inserted, 3 updated',
        data: { total_records_inserted: 1, total_records_updated: 3 },
      });

      // Nothing has moved since: the same fetch again inserts and updates nothing.
      const third = await run(h, { ...request, refetch: true });
      expect(units(third)).toEqual([['BTC-USD', '5m', 'completed', 0, 0]]);
      expect(third.total_records_updated).toBe(0);
    });
  });
});
