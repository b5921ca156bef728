import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createJsonClient, DEFAULT_MAX_BODY_BYTES } from './http';
import { type FakeServer, startFakeServer } from './testing/fake-server';
import { ProviderError } from './types';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A 200 whose JSON never ends (a broken upstream, or a proxy streaming): 256 KB chunks until the client hangs up. */
function endless(sent: { bytes: number; closed: number }) {
  const chunk = Buffer.alloc(256 * 1024, ' ');
  return (_req: unknown, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"results":[');
    let open = true;
    res.on('close', () => {
      open = false;
      sent.closed++;
    });
    const pump = () => {
      while (open && res.write(chunk)) sent.bytes += chunk.length;
      if (open) res.once('drain', pump);
    };
    pump();
  };
}

describe('provider bodies are size-capped', () => {
  it('stops reading an endless 200 at the cap, closes the connection, does not retry, memory stays flat', async () => {
    const sent = { bytes: 0, closed: 0 };
    server = await startFakeServer(endless(sent));
    const client = createJsonClient({ provider: 'Polygon', maxBodyBytes: 4 * 1024 * 1024, retry: { maxAttempts: 5 } });
    const before = process.memoryUsage().rss;
    const err = await client
      .getJson({ url: new URL(`${server.baseUrl}/v2/aggs`), parse: (b) => b })
      .then(() => expect.unreachable('an endless body must not parse'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).message).toBe(
      'Polygon sent an answer larger than 4 MB; stopped reading it (a proxy may be in the way)',
    );
    expect((err as ProviderError).retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(sent.closed).toBe(1);
    // What the server got out before the hang-up is the cap plus socket buffers, not gigabytes.
    expect(sent.bytes).toBeLessThan(32 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('caps at 64 MB by default, and refuses a declared Content-Length past the cap without reading it', async () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(64 * 1024 * 1024);
    const sent = { bytes: 0, closed: 0 };
    server = await startFakeServer(endless(sent));
    const client = createJsonClient({ provider: 'Binance' });
    await expect(client.getJson({ url: new URL(`${server.baseUrl}/x`), parse: (b) => b })).rejects.toThrow(
      'Binance sent an answer larger than 64 MB; stopped reading it (a proxy may be in the way)',
    );
    await server.close();
    server = await startFakeServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 ** 40) });
      res.write('[');
    });
    await expect(client.getJson({ url: new URL(`${server.baseUrl}/x`), parse: (b) => b })).rejects.toThrow(
      /larger than 64 MB/,
    );
  });
});
