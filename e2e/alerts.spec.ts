import { type ReceivedAlert, startAlertReceiver } from './alert-receiver';
import { expectNoSeriousViolations } from './axe';
import { expect, test } from './fixtures';
import { isoDaysAgo, openDashboard } from './helpers';

let receiver: Awaited<ReturnType<typeof startAlertReceiver>>;
test.beforeAll(async () => {
  receiver = await startAlertReceiver();
});
test.afterAll(async () => {
  await receiver?.close();
});

test("a failed job's alert reaches the webhook, signed, and the dashboard shows it delivered", async ({
  page,
  request,
}) => {
  const symbol = 'ZZALERT-USD';
  // A symbol fetched from "Binance" (the receiver, which lists nothing): its backfill fails for real.
  for (const [path, input] of [
    ['symbols.add', { symbol, asset_class: 'crypto' }],
    ['symbols.setProvider', { symbol, provider: 'binance' }],
  ] as const) {
    const res = await request.post(`/trpc/${path}`, { data: input });
    expect(res.status(), await res.text()).toBeLessThan(300);
  }
  try {
    const started = await request.post(
      `/api/v1/backfill?symbols=${symbol}&timeframes=1h&start_date=${isoDaysAgo(2)}&end_date=${isoDaysAgo(1)}`,
    );
    expect(started.status(), await started.text()).toBeLessThan(300);
    const jobId = ((await started.json()) as { job_id: string }).job_id;

    let alert: ReceivedAlert | undefined;
    await expect
      .poll(
        () => {
          alert = receiver.received.find((r) => r.body.kind === 'job_failed' && r.body.subject === jobId);
          return alert !== undefined;
        },
        { timeout: 30_000, intervals: [250, 500, 1000] },
      )
      .toBe(true);
    expect(alert?.signatureValid).toBe(true);
    expect(alert?.timestamp).toMatch(/^\d{10}$/);
    expect(String(alert?.body.message)).toContain(`Backfill of ${symbol} (1h) failed`);
    expect(receiver.received.filter((r) => r.body.subject === jobId)).toHaveLength(1);

    await openDashboard(page);
    await page.getByRole('button', { name: /^Alerts/ }).click();
    const panel = page.getByRole('region', { name: 'Alerts' });
    await expect(panel).toContainText('Sent to the configured webhook');
    const item = panel.getByRole('list', { name: 'Recent alerts' }).getByRole('listitem').filter({ hasText: symbol });
    await expect(item).toContainText('Job failed');
    await expect(item).toContainText('Delivered');
    await expectNoSeriousViolations(page);
  } finally {
    // The specs after this one see the watchlist as seeded.
    await request.post('/trpc/symbols.remove', { data: { symbol } });
  }
});
