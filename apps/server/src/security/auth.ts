import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Compares the two tokens' SHA-256 digests, which always have the same length: the time taken
 * says nothing about where the given token differs, nor how long the real one is.
 */
export function tokenMatches(expected: string, given: string): boolean {
  return timingSafeEqual(digest(expected), digest(given));
}

/** The token of an `Authorization: Bearer <token>` header, or '' without one. */
export function bearerToken(header: string | undefined): string {
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
}

/**
 * Whether a request may act: always when no API_TOKEN is configured, else when it carries the
 * token. `urlToken` is the token an EventSource sent in the URL (it cannot send headers); the
 * caller passes it only for the subscription, so tokens do not spread into URLs and logs.
 */
export function isAuthorized(app: AppContext, header: string | undefined, urlToken?: unknown): boolean {
  const token = app.config.API_TOKEN;
  if (!token) return true;
  if (tokenMatches(token, bearerToken(header))) return true;
  return typeof urlToken === 'string' && urlToken !== '' && tokenMatches(token, urlToken);
}

/** REST reads anyone may make even with AUTH_READS: liveness, and the API's own description. */
const PUBLIC_READS = new Set(['/api/v1/health', '/api/v1/openapi.json']);

/**
 * With AUTH_READS, every REST read (`GET /api/v1/...`: jobs, status, candles, metrics, whatever
 * is added later) needs the token, as tRPC's reads do. Mutations check it in their handlers.
 */
export function registerRestReadAccess(http: FastifyInstance, app: AppContext): void {
  if (!app.config.AUTH_READS || !app.config.API_TOKEN) return;
  http.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return;
    const path = req.url.split('?')[0] ?? '';
    if (!path.startsWith('/api/') || PUBLIC_READS.has(path)) return;
    if (isAuthorized(app, req.headers.authorization)) return;
    return reply.code(401).send({ detail: 'This server needs the API token for reads too (Authorization: Bearer …)' });
  });
}
