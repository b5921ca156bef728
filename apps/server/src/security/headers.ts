import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Same-origin unless listed: a page on another origin can neither read nor change anything. */
export function isAllowedOrigin(req: FastifyRequest, allowList: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin) {
    if (allowList.includes(origin)) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }
  // No Origin (curl, scripts): only a browser's cross-site fetch is the danger here.
  return req.headers['sec-fetch-site'] !== 'cross-site';
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Security headers (a CSP without inline scripts, nosniff, no framing, no referrer), CORS
 * closed unless an origin is allowed, and a refusal of state-changing requests from other
 * origins, so a page elsewhere cannot start, cancel or retry a backfill.
 */
export async function registerSecurity(http: FastifyInstance, allowList: readonly string[]): Promise<void> {
  await http.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: false,
  });
  await http.register(cors, { origin: allowList.length > 0 ? [...allowList] : false, credentials: false });
  http.addHook('onRequest', async (req, reply) => {
    const subscription = req.url.startsWith('/trpc/backfill.onProgress');
    if ((UNSAFE.has(req.method) || subscription) && !isAllowedOrigin(req, allowList)) {
      return reply.code(403).send({
        detail: 'Cross-site requests are not allowed: call the API from its own origin or list yours in CORS_ORIGINS',
      });
    }
  });
}
