import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake server saw it; `at` is Date.now() on arrival. */
export interface SeenRequest {
  at: number;
  url: URL;
}

/** Answers the nth request (0-based); may leave `res` unanswered to play a hung server. */
export type FakeHandler = (request: SeenRequest, res: ServerResponse, index: number, raw: IncomingMessage) => void;

export interface FakeServer {
  baseUrl: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 and a free port: tests fake a provider at the wire, so the client
 * under test is the production one, headers, sockets and timeouts included.
 */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((raw, res) => {
    const seen: SeenRequest = { at: Date.now(), url: new URL(raw.url ?? '/', 'http://127.0.0.1') };
    requests.push(seen);
    handler(seen, res, requests.length - 1, raw);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hung requests keep their sockets open; without this, close() would wait for them forever.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'text/html', ...headers });
  res.end(text);
}

/** The most requests that arrived within any `windowMs`, the window shrunk by `toleranceMs` to allow for network jitter. */
export function maxInAnyWindow(arrivals: number[], windowMs: number, toleranceMs = 0): number {
  let most = 0;
  for (let i = 0; i < arrivals.length; i++) {
    const start = arrivals[i] ?? 0;
    const inWindow = arrivals.filter((t) => t >= start && t < start + windowMs - toleranceMs).length;
    most = Math.max(most, inWindow);
  }
  return most;
}
