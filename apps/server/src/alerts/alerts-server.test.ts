import { createHmac } from 'node:crypto';
import { alertWebhookSchema } from '@candlebase/contracts';
import { testEngines } from '@candlebase/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, startHarness } from '../testing/harness';
import { startReceiver } from '../testing/webhook-receiver';

const SECRET = 'server-test-secret-0123456789';
const BINANCE_KNOWS_NOTHING = {
  status: 400,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ code: -1121, msg: 'Invalid symbol.' }),
};

/** The whole path in a running server: the engine fails a job, the monitor sends it, the router lists it. */
describe.each(testEngines())('a running server alerting on a failed job on %s', (engine) => {
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver([{ status: 200 }], (path) =>
      path.startsWith('/binance') ? BINANCE_KNOWS_NOTHING : undefined,
    );
    const base = receiver.url.replace(/\/hook$/, '');
    h = await startHarness(engine, {
      env: {
        ALERT_WEBHOOK_URL: receiver.url,
        ALERT_WEBHOOK_SECRET: SECRET,
        BINANCE_BASE_URL: `${base}/binance`,
        ALERT_STALE_AFTER_MINUTES: '0',
      },
      http: false,
    });
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  it('POSTs the failed job once, signed, and alerts.recent shows it delivered', async () => {
    await h.caller.symbols.add({ symbol: 'ZZNONE-USD', asset_class: 'crypto' });
    await h.caller.symbols.setProvider({ symbol: 'ZZNONE-USD', provider: 'binance' });
    const { job_id } = await h.caller.backfill.create({
      symbols: ['ZZNONE-USD'],
      start_date: '2024-01-01',
      end_date: '2024-01-02',
      timeframes: ['1h'],
    });
    const list = await eventually(
      async () => {
        const l = await h.caller.alerts.recent({ limit: 10 });
        return l.alerts[0]?.delivery === 'delivered' ? l : null;
      },
      30_000,
      'the alert delivered',
    );
    expect(list.webhook).toBe(true);
    expect(list.alerts).toHaveLength(1);
    expect(list.alerts[0]).toMatchObject({ kind: 'job_failed', subject: job_id, attempts: 1 });
    expect(receiver.received).toHaveLength(1);
    const [req] = receiver.received;
    expect(req?.headers['x-candlebase-signature']).toBe(
      `sha256=${createHmac('sha256', SECRET)
        .update(req?.body ?? '')
        .digest('hex')}`,
    );
    expect(alertWebhookSchema.parse(JSON.parse(req?.body ?? '{}'))).toMatchObject({
      kind: 'job_failed',
      subject: job_id,
    });
    await expect(h.caller.alerts.recent({ limit: 0 })).rejects.toThrow();
  });
});
