import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';

/** A client that declares a 100 KB body and sends one byte of it every 500 ms. */
function slowBody(port: number): { socket: Socket; closed: Promise<number> } {
  const socket = connect(port, '127.0.0.1');
  const opened = performance.now();
  socket.on('connect', () => {
    socket.write(
      'POST /api/v1/backfill HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
    );
  });
  const drip = setInterval(() => socket.writable && socket.write(' '), 500);
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => {
    socket.on('close', () => {
      clearInterval(drip);
      resolve(performance.now() - opened);
    });
  });
  return { socket, closed };
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1] ?? Number.NaN;

describe('slow clients', () => {
  let h: Harness;
  let port = 0;
  beforeAll(async () => {
    h = await startHarness('pglite', {
      env: { WORKER_ENABLED: 'false', HTTP_REQUEST_TIMEOUT_SECONDS: '2', HTTP_MAX_CONNECTIONS: '250' },
    });
    port = Number(new URL(h.url).port);
  });
  afterAll(async () => h?.close());

  async function healthTimes(n: number): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const res = await fetch(`${h.url}/api/v1/health`);
      expect(res.status).toBe(200);
      await res.json();
      times.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
    return times;
  }

  it('200 clients trickling a body are cut off after the request timeout while health keeps answering', {
    timeout: 60_000,
  }, async () => {
    const clients = Array.from({ length: 200 }, () => slowBody(port));
    const health = await healthTimes(20);
    // 2 s to send the request, checked every second: all are gone well within 10 s.
    const lifetimes = await Promise.race([
      Promise.all(clients.map((c) => c.closed)),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('slow clients were still connected after 10 s')), 10_000),
      ),
    ]);
    expect(Math.min(...lifetimes)).toBeGreaterThanOrEqual(1900);
    expect(p95(health)).toBeLessThan(500);
    console.log(
      `slow clients: 200 cut off after ${Math.round(Math.min(...lifetimes))}-${Math.round(Math.max(...lifetimes))} ms; health p95 ${p95(health).toFixed(1)} ms meanwhile`,
    );
  });

  it('closes connections past HTTP_MAX_CONNECTIONS at once, and serves again once the slow ones are gone', {
    timeout: 60_000,
  }, async () => {
    const clients = Array.from({ length: 300 }, () => slowBody(port));
    const early = await Promise.all(
      clients.map((c) =>
        Promise.race([c.closed.then(() => true), new Promise((r) => setTimeout(() => r(false), 1000))]),
      ),
    );
    // 250 may stay; the rest were closed without waiting for a timeout.
    expect(early.filter(Boolean).length).toBeGreaterThanOrEqual(50);
    await Promise.all(clients.map((c) => c.closed));
    expect((await healthTimes(3)).length).toBe(3);
  });
});
