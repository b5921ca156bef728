import type { FastifyInstance } from 'fastify';
import type { SymbolListCache } from '../queries/symbol-list-cache';

/** The one request this answers: tRPC's plain (unbatched, input-less) GET of symbols.list. */
export const SYMBOL_LIST_PATH = '/trpc/symbols.list';

/**
 * `symbols.list` is the largest answer the API gives (about 7 MB of JSON at 10,000 symbols) and the
 * one every dashboard polls. When the cache has an answer ready, this hook sends it as tRPC would
 * (`{"result":{"data":...}}`, the documented wire form of a query without a transformer) but
 * serialized once for all readers rather than once per request, with an ETag, so a browser whose
 * copy is current gets a 304 and no body. Anything else (a batch, a cold cache, an error) goes
 * through tRPC as usual. Registered after the security hooks, which run first.
 */
export function registerSymbolListFastPath(http: FastifyInstance, cache: SymbolListCache): void {
  http.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' || req.url !== SYMBOL_LIST_PATH) return;
    const value = cache.peek();
    if (!value) return;
    const { body, etag } = cache.wire(value);
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/json').send(body);
  });
}
