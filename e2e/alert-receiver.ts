import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';

/** Shared by the e2e server's configuration and the spec that checks the signature. */
export const ALERT_SECRET = 'e2e-webhook-secret-0123456789';

/** Beside the server's port (E2E_PORT + 1000), so parallel runs on other ports do not meet. */
export const alertReceiverPort = Number(process.env.E2E_PORT ?? 3210) + 1000;
export const alertReceiverUrl = `http://127.0.0.1:${alertReceiverPort}`;

export interface ReceivedAlert {
  body: Record<string, unknown>;
  signatureValid: boolean;
  timestamp: string | undefined;
}

/**
 * The webhook's receiver, verifying each signature as a real one would, and under /binance a
 * Binance that lists no symbol (400, code -1121), so a backfill from it fails.
 */
export async function startAlertReceiver(): Promise<{ received: ReceivedAlert[]; close(): Promise<void> }> {
  const received: ReceivedAlert[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url?.startsWith('/binance')) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: -1121, msg: 'Invalid symbol.' }));
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const expected = Buffer.from(`sha256=${createHmac('sha256', ALERT_SECRET).update(raw).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-candlebase-signature'] ?? ''));
      received.push({
        body: JSON.parse(raw) as Record<string, unknown>,
        signatureValid: given.length === expected.length && timingSafeEqual(given, expected),
        timestamp: req.headers['x-candlebase-timestamp'] as string | undefined,
      });
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(alertReceiverPort, '127.0.0.1', resolve);
  });
  return { received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
