import { onProgressInputSchema, symbolsOnChangedInputSchema } from '@candlebase/contracts';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';

/** Each subscription and the schema of its resume point. */
const RESUMABLE: Record<string, z.ZodType> = {
  '/trpc/backfill.onProgress': onProgressInputSchema.shape.lastEventId,
  '/trpc/symbols.onChanged': symbolsOnChangedInputSchema.shape.lastEventId,
};

/** Every place a resume point can come from: the Last-Event-ID header, the query, the input. */
function resumePoints(url: URL, header: string | string[] | undefined): unknown[] {
  const found: unknown[] = [header, url.searchParams.get('lastEventId'), url.searchParams.get('Last-Event-Id')];
  const input = url.searchParams.get('input');
  if (input) {
    try {
      const parsed: unknown = JSON.parse(input);
      if (parsed && typeof parsed === 'object' && 'lastEventId' in parsed) found.push(parsed.lastEventId);
    } catch {
      // tRPC answers unparseable input itself.
    }
  }
  return found.filter((v) => v !== undefined && v !== null);
}

/**
 * Over SSE, tRPC answers a bad input with HTTP 200 and an error event; a bad Last-Event-ID would
 * then be sent again by the browser's EventSource on every reconnect. Checked here first, a bad
 * resume point gets a real 400, on which EventSource stops for good.
 */
export function registerSubscriptionGuard(http: FastifyInstance): void {
  http.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' || !req.url.startsWith('/trpc/')) return;
    const url = new URL(req.url, 'http://localhost');
    const schema = RESUMABLE[url.pathname];
    if (!schema) return;
    for (const value of resumePoints(url, req.headers['last-event-id'])) {
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        const message = parsed.error.issues.map((i) => i.message).join('; ');
        return reply.code(400).send({
          error: {
            message,
            code: -32600,
            data: { code: 'BAD_REQUEST', httpStatus: 400, path: url.pathname.slice('/trpc/'.length) },
          },
        });
      }
    }
  });
}
