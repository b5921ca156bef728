import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A webhook receiver on a free loopback port for tests: it keeps every request and answers each
 * with the next scripted answer (the last one once the script runs out).
 */
export async function startReceiver(
  script: Answer[] = [{ status: 204 }],
  /** Answers some paths itself (a fake provider beside the webhook); the rest follow the script. */
  route?: (path: string) => Answer | undefined,
): Promise<{
  url: string;
  received: Received[];
  answer(next: Answer[]): void;
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  let answers = [...script];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const routed = route?.(req.url ?? '/');
      if (routed) {
        res.writeHead(routed.status, routed.headers ?? {});
        res.end(routed.body ?? '');
        return;
      }
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const a = (answers.length > 1 ? answers.shift() : answers[0]) ?? { status: 204 };
      res.writeHead(a.status, a.headers ?? {});
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answer: (next) => {
      answers = [...next];
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
