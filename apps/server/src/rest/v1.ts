import {
  actionsInputSchema,
  backfillRecentInputSchema,
  backfillRequestSchema,
  backfillStatusInputSchema,
} from '@candlebase/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { listActions } from '../actions/store';
import { jobStatus } from '../backfill/job-status';
import { previewBackfill } from '../backfill/preview';
import { recentJobs } from '../backfill/service';
import { submitBackfill } from '../backfill/submit';
import type { AppContext } from '../context';
import { isAuthorized } from '../security/auth';
import { answer } from './answer';
import { renderDocsPage } from './docs-page';
import { registerExports } from './exports';
import { openApiDocument } from './openapi';
import { listParam, textParam, toValidationError } from './validation';

type Query = Record<string, unknown>;

/** A backfill request from the query (`symbols=A&symbols=B` or `symbols=A,B`) or a JSON body. */
function parseBackfillRequest(req: FastifyRequest) {
  const q = (req.query ?? {}) as Query;
  const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Query) : {};
  const fromBody = Object.keys(body).length > 0;
  const raw = fromBody
    ? { ...body, symbols: typeof body.symbols === 'string' ? listParam(body.symbols) : body.symbols }
    : {
        symbols: listParam(q.symbols),
        start_date: textParam(q.start_date),
        end_date: textParam(q.end_date),
        timeframes: listParam(q.timeframes),
        refetch: q.refetch === undefined ? undefined : /^(1|true|yes)$/i.test(String(textParam(q.refetch))),
        provider: textParam(q.provider),
      };
  return { parsed: backfillRequestSchema.safeParse(raw), where: fromBody ? ('body' as const) : ('query' as const) };
}

/** The classic v1 endpoints, as thin adapters over the same services as tRPC. */
export async function registerRest(http: FastifyInstance, app: AppContext): Promise<void> {
  http.post('/api/v1/backfill', async (req, reply) => {
    if (!isAuthorized(app, req.headers.authorization)) {
      return reply.code(401).send({ detail: 'This action needs the API token (Authorization: Bearer …)' });
    }
    const { parsed, where } = parseBackfillRequest(req);
    if (!parsed.success) return reply.code(422).send(toValidationError(parsed.error, where));
    return answer(reply, () => submitBackfill(app, parsed.data, req.ip));
  });

  // A dry run: reads only, so open like the other reads unless AUTH_READS asks for the token.
  http.post('/api/v1/backfill/preview', async (req, reply) => {
    if (app.config.AUTH_READS && !isAuthorized(app, req.headers.authorization)) {
      return reply
        .code(401)
        .send({ detail: 'This server needs the API token for reads too (Authorization: Bearer …)' });
    }
    const { parsed, where } = parseBackfillRequest(req);
    if (!parsed.success) return reply.code(422).send(toValidationError(parsed.error, where));
    return answer(reply, () => previewBackfill(app, parsed.data));
  });

  http.get('/api/v1/backfill/status/:job_id', async (req, reply) => {
    const { job_id } = req.params as { job_id: string };
    const parsed = backfillStatusInputSchema.safeParse({ jobId: job_id });
    if (!parsed.success) {
      return reply
        .code(422)
        .send({ detail: [{ loc: ['path', 'job_id'], msg: 'Job id must be a UUID', type: 'value_error' }] });
    }
    return answer(reply, () => jobStatus(app, parsed.data.jobId));
  });

  http.get('/api/v1/backfill/recent', async (req, reply) => {
    const q = (req.query ?? {}) as Query;
    const limitText = textParam(q.limit);
    const limit = limitText === undefined ? undefined : Number(limitText);
    const parsed = backfillRecentInputSchema.safeParse(limit === undefined ? undefined : { limit });
    if (!parsed.success || (limitText !== undefined && !/^\d+$/.test(limitText))) {
      return reply.code(422).send({
        detail: [{ loc: ['query', 'limit'], msg: 'limit must be a whole number from 1 to 100', type: 'value_error' }],
      });
    }
    return answer(reply, () => recentJobs(app.database.db, parsed.data.limit));
  });

  http.get('/api/v1/actions', async (req, reply) => {
    const q = (req.query ?? {}) as Query;
    const symbol = textParam(q.symbol);
    if (symbol === undefined) {
      return reply.code(422).send({
        detail: [{ loc: ['query', 'symbol'], msg: 'symbol is required, e.g. ?symbol=AAPL', type: 'missing' }],
      });
    }
    const parsed = actionsInputSchema.safeParse({ symbol });
    if (!parsed.success) return reply.code(422).send(toValidationError(parsed.error, 'query'));
    return answer(reply, async () => listActions(await app.reads.forClient(req.ip), parsed.data.symbol));
  });

  registerExports(http, app);

  const doc = openApiDocument(app.version);
  http.get('/api/v1/openapi.json', async (_req, reply) => reply.send(doc));
  http.get('/docs', async (_req, reply) => reply.type('text/html').send(renderDocsPage(doc)));
  http.get('/api/v1/health', async (_req, reply) => {
    const replica = app.dbHealth.replica;
    return reply.send({
      status: app.dbHealth.ok ? 'ok' : 'degraded',
      database: app.database.engine,
      // Which connections this server has, and how far behind its read replica was at the last check.
      read_replica: app.database.replica !== null,
      direct_listen: app.database.listenLocation !== null,
      replica: replica && { ok: replica.ok, lag_ms: replica.lagMs, last_error: replica.lastError },
    });
  });
}
