import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type ApiServices,
  type AppRouter,
  appRouter,
  errorHeaders,
  MAX_BATCH_SIZE,
  type RequestContext,
} from '@candlebase/api';
import { restReplyOf } from '@candlebase/contracts';
import fastifyStatic from '@fastify/static';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { apiServices } from './api-services';
import type { AppContext } from './context';
import { registerUploads } from './rest/uploads';
import { registerRest } from './rest/v1';
import { isAuthorized, registerRestReadAccess } from './security/auth';
import { registerSecurity } from './security/headers';
import { registerHostCheck } from './security/hosts';
import { registerProgressFastPath } from './trpc/progress-fast-path';
import { registerSubscriptionGuard } from './trpc/subscription-guard';

/** ALLOWED_HOSTS, plus the address the server listens on when it is a specific one. */
export function allowedHosts(config: AppContext['config']): string[] {
  const wildcard = config.HOST === '0.0.0.0' || config.HOST === '::' || config.HOST === '';
  const own = wildcard ? [] : [config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST];
  return [...config.ALLOWED_HOSTS, ...own];
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export function requestContext(
  app: AppContext,
  services: ApiServices,
  req: FastifyRequest,
  info?: { type: string; connectionParams: Record<string, unknown> | null },
): RequestContext {
  // A token in the URL only for the subscription: EventSource cannot send headers, and anything
  // else that puts the token in a URL spreads it into histories, proxies and logs.
  const urlToken = info?.type === 'subscription' ? info.connectionParams?.token : undefined;
  return {
    services,
    authReads: app.config.AUTH_READS,
    authorized: isAuthorized(app, req.headers.authorization, urlToken),
    client: req.ip,
  };
}

/** The HTTP surface: tRPC at /trpc, REST under /api/v1, docs at /docs and the SPA for the rest. */
export async function buildHttpApp(app: AppContext): Promise<FastifyInstance> {
  const http = Fastify({
    // Per-request lines at info would drown the log: only warnings and errors from HTTP.
    loggerInstance: app.log.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    routerOptions: { maxParamLength: 5000 },
    forceCloseConnections: 'idle',
    // A client that trickles its headers or body is cut off, so slow clients cannot hold every
    // file descriptor; responses (SSE streams included) are not bounded by these.
    requestTimeout: app.config.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
    keepAliveTimeout: 5000,
    maxRequestsPerSocket: 1000,
    http: {
      headersTimeout: Math.min(10, app.config.HTTP_REQUEST_TIMEOUT_SECONDS) * 1000,
      // Node checks the two timeouts above this often (its default is 30 s).
      connectionsCheckingInterval: 1000,
    },
  });
  // Past this many open sockets new ones are closed at once: the rest keep being served.
  http.server.maxConnections = app.config.HTTP_MAX_CONNECTIONS;

  // First of all hooks: a request to a name this server does not have goes no further.
  registerHostCheck(http, allowedHosts(app.config));

  // Before any route: a route keeps the error handler in force when it is added.
  http.setErrorHandler((err: { statusCode?: number; message: string; code?: string }, req, reply) => {
    // A domain error thrown by any route answers as it does from the REST adapters.
    const wire = restReplyOf(err);
    if (wire) return reply.code(wire.status).headers(wire.headers).send(wire.body);
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) app.log.error({ err: err.message, url: req.url }, 'request failed');
    const detail =
      err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'The request body is too large'
        : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'Unsupported content type: send JSON (application/json)'
          : status === 500
            ? 'Something went wrong on the server; it has been logged'
            : err.message;
    return reply.code(status).send({ detail });
  });

  await registerSecurity(http, app.config.CORS_ORIGINS);
  // Anything but a GET may have written (tRPC mutations, REST posts, uploads): that client's next
  // reads wait for the replica to have it, or go to the primary (read-routing.ts). Before the
  // answer leaves, so no read the client sends after it can overtake.
  if (app.database.replica) {
    http.addHook('onSend', async (req, reply, payload) => {
      if (!READ_METHODS.has(req.method) && reply.statusCode < 400) {
        await app.reads.wrote(req.ip).catch((err: unknown) => {
          // The write is done; only this client's read-your-writes on the replica is at risk.
          app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not read the WAL position');
        });
      }
      return payload;
    });
  }
  registerRestReadAccess(http, app);
  registerSubscriptionGuard(http);
  registerProgressFastPath(http, app);
  await http.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: ({ req, info }) => requestContext(app, apiServices(app, req.ip), req, info),
      maxBatchSize: MAX_BATCH_SIZE,
      responseMeta: ({ errors }) => ({ headers: errorHeaders(errors) }),
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          app.log.error({ path, err: error.cause?.message ?? error.message }, 'tRPC error');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  await registerRest(http, app);
  await registerUploads(http, app);

  const webDist = app.config.WEB_DIST ?? DEFAULT_WEB_DIST;
  const hasWeb = existsSync(`${webDist}/index.html`);
  // Wildcard: files are looked up per request, so a rebuilt dashboard is served without a restart.
  if (hasWeb) await http.register(fastifyStatic, { root: webDist, wildcard: true, maxAge: '1h', index: 'index.html' });

  http.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    // A missing asset (a path with a file extension) is a 404, not the app.
    if (req.method !== 'GET' || path.startsWith('/api/') || path.startsWith('/trpc/') || /\.[a-z0-9]+$/i.test(path)) {
      return reply.code(404).send({ detail: `Not found: ${req.method} ${path}` });
    }
    if (!hasWeb) {
      return reply
        .code(503)
        .type('text/plain')
        .send('The dashboard is not built yet: run `pnpm build` (or `pnpm start`, which builds it).');
    }
    // History fallback: the SPA routes itself.
    return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
  });

  return http;
}
