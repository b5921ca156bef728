import { createHmac, timingSafeEqual } from 'node:crypto';
import { alertWebhookSchema } from '@candlebase/contracts';
import { queryRows } from '@candlebase/db';
import { createTestDatabase, type TestDatabase, testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver } from '../testing/webhook-receiver';
import { claimDueAlerts, deliverDueAlerts, type WebhookOptions } from './deliver';
import { raiseAlert } from './store';

const SECRET = 'a-shared-secret-of-some-length';
/** A Wednesday, mid-morning UTC: the code never reads the real time, so any instant would do. */
const T0 = Date.UTC(2026, 2, 4, 10, 0, 0);

describe.each(testEngines())('alert delivery to a webhook on %s', (engine) => {
  let t: TestDatabase;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let now = T0;
  const db = () => t.database.db;
  const options = (more: Partial<WebhookOptions> = {}): WebhookOptions => ({
    url: receiver.url,
    secret: SECRET,
    maxAttempts: 3,
    clock: () => now,
    baseDelayMs: 10_000,
    maxDelayMs: 60_000,
    // Full jitter pinned to the middle: the first retry waits 5 s, the second 10 s.
    random: () => 0.5,
    ...more,
  });
  const row = async () =>
    (
      await queryRows<{ delivery: string; attempts: number; last_error: string | null; next_ms: number | null }>(
        db(),
        sql`select delivery, attempts, last_error, (extract(epoch from next_attempt_at) * 1000)::float8 as next_ms
            from alerts order by id limit 1`,
      )
    )[0];
  const raise = (key = 'job_failed:1') =>
    raiseAlert(db(), { kind: 'job_failed', key, subject: 'job 1', message: 'Backfill of AAPL (5m) failed', at: T0 });

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.drop();
  });
  beforeEach(async () => {
    now = T0;
    receiver.received.length = 0;
    receiver.answer([{ status: 204 }]);
    await db().execute(sql`delete from alerts`);
  });

  it('POSTs the alert as JSON signed with HMAC-SHA256 of the raw body, and marks it delivered', async () => {
    await raise();
    expect(await deliverDueAlerts(db(), options())).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    const [req] = receiver.received;
    if (!req) throw new Error('nothing received');
    const expected = `sha256=${createHmac('sha256', SECRET).update(req.body).digest('hex')}`;
    const given = String(req.headers['x-candlebase-signature']);
    expect(timingSafeEqual(Buffer.from(given), Buffer.from(expected))).toBe(true);
    expect(req.headers['x-candlebase-timestamp']).toBe(String(T0 / 1000));
    expect(req.headers['content-type']).toBe('application/json');
    const body = alertWebhookSchema.parse(JSON.parse(req.body));
    expect(body).toMatchObject({ kind: 'job_failed', subject: 'job 1', attempt: 1, at: new Date(T0).toISOString() });
    expect(body.sent_at).toBe(new Date(T0).toISOString());
    // A different secret does not verify.
    expect(given).not.toBe(`sha256=${createHmac('sha256', 'another secret').update(req.body).digest('hex')}`);
    expect((await row())?.delivery).toBe('delivered');
    // Delivered once: a later round sends nothing.
    now += 3_600_000;
    expect(await deliverDueAlerts(db(), options())).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(1);
  });

  it('retries after a 500 with backoff, not before its time', async () => {
    receiver.answer([{ status: 500, body: 'database down' }, { status: 200 }]);
    await raise();
    expect(await deliverDueAlerts(db(), options())).toMatchObject({ retrying: 1 });
    expect(await row()).toMatchObject({
      delivery: 'pending',
      attempts: 1,
      last_error: 'The webhook answered 500: database down',
      next_ms: T0 + 5_000,
    });
    now = T0 + 4_999;
    await deliverDueAlerts(db(), options());
    expect(receiver.received).toHaveLength(1);
    now = T0 + 5_000;
    expect(await deliverDueAlerts(db(), options())).toMatchObject({ delivered: 1 });
    expect(await row()).toMatchObject({ delivery: 'delivered', attempts: 2, last_error: null });
    expect(JSON.parse(receiver.received[1]?.body ?? '{}').attempt).toBe(2);
  });

  it("honours a 429's Retry-After when it asks for longer than the backoff", async () => {
    receiver.answer([{ status: 429, headers: { 'retry-after': '120' } }, { status: 202 }]);
    await raise();
    await deliverDueAlerts(db(), options());
    expect((await row())?.next_ms).toBe(T0 + 120_000);
    now = T0 + 119_000;
    await deliverDueAlerts(db(), options());
    expect(receiver.received).toHaveLength(1);
    now = T0 + 120_000;
    expect(await deliverDueAlerts(db(), options())).toMatchObject({ delivered: 1 });
  });

  it('gives up after the last attempt and marks the alert failed', async () => {
    receiver.answer([{ status: 503 }]);
    await raise();
    for (const step of [0, 5_000, 10_000]) {
      now += step;
      await deliverDueAlerts(db(), options());
    }
    expect(receiver.received).toHaveLength(3);
    expect(await row()).toMatchObject({
      delivery: 'failed',
      attempts: 3,
      last_error: 'The webhook answered 503 (gave up after 3 attempts)',
    });
    now += 3_600_000;
    await deliverDueAlerts(db(), options());
    expect(receiver.received).toHaveLength(3);
  });

  it('does not retry a 4xx other than 408 and 429, and retries an unreachable receiver', async () => {
    receiver.answer([{ status: 401, body: 'bad signature' }]);
    await raise();
    expect(await deliverDueAlerts(db(), options())).toMatchObject({ failed: 1 });
    expect(await row()).toMatchObject({
      delivery: 'failed',
      attempts: 1,
      last_error: 'The webhook answered 401: bad signature',
    });

    await db().execute(sql`delete from alerts`);
    await raise();
    expect(await deliverDueAlerts(db(), options({ url: 'http://127.0.0.1:9/hook' }))).toMatchObject({ retrying: 1 });
    expect((await row())?.last_error).toMatch(/^The webhook could not be reached: /);
  });

  it('sends each alert once however many processes claim side by side, and takes over a dead claim', async () => {
    for (const n of [1, 2, 3, 4, 5, 6]) await raise(`job_failed:${n}`);
    await Promise.all([deliverDueAlerts(db(), options({ batch: 4 })), deliverDueAlerts(db(), options({ batch: 4 }))]);
    await deliverDueAlerts(db(), options({ batch: 4 }));
    const ids = receiver.received.map((r) => JSON.parse(r.body).id as string);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);

    // A process that claimed and died: after its lease another sends the alert, as attempt 2.
    await raise('job_failed:7');
    expect(await claimDueAlerts(db(), now, 60_000, 10)).toHaveLength(1);
    expect(await claimDueAlerts(db(), now + 59_999, 60_000, 10)).toHaveLength(0);
    now += 60_000;
    expect(await deliverDueAlerts(db(), options())).toMatchObject({ delivered: 1 });
    expect(JSON.parse(receiver.received.at(-1)?.body ?? '{}')).toMatchObject({ subject: 'job 1', attempt: 2 });
  });
});
