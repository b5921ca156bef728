import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context';

/** The one request this answers: tRPC's plain (unbatched, input-less) GET of symbols.list. */
export const SYMBOL_LIST_PATH = '/trpc/symbols.list';

/** Whether an If-None-Match header names `etag` (a list, weak forms and `*` included). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/**
 * `symbols.list` is the largest answer the API gives (about 7 MB of JSON at 10,000 symbols) and the
 * one every dashboard polls. This hook sends the cache's answer as tRPC would
 * (`{"result":{"data":...}}`, the documented wire form of a query without a transformer) but
 * serialized once for all readers rather than once per request, with an ETag, so a browser whose
 * copy is current gets a 304 and no body. Anything else (a batch, an input, a caller that
 * AUTH_READS turns away, a failed read) goes through tRPC as usual. Registered after the security
 * hooks, which run first.
 */
export function registerSymbolListFastPath(
  http: FastifyInstance,
  app: AppContext,
  isAuthorized: (header: string | undefined) => boolean,
): void {
  http.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' || req.url !== SYMBOL_LIST_PATH) return;
    // tRPC's readAccess answers a caller without the token.
    if (app.config.AUTH_READS && !isAuthorized(req.headers.authorization)) return;
    let value = app.symbolList.peek();
    if (!value) {
      try {
        value = await app.symbolList.get();
      } catch {
        // tRPC asks again and answers the error in its own form.
        return;
      }
    }
    const { body, etag } = app.symbolList.wire(value);
    // private: a shared cache must not keep it (with AUTH_READS, it is for token holders only).
    reply.header('etag', etag).header('cache-control', 'private, no-cache');
    if (matchesEtag(req.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type('application/json').send(body);
  });
}
