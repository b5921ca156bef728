import {
  actionsInputSchema,
  backfillRecentInputSchema,
  backfillRequestSchema,
  backfillStatusInputSchema,
} from '@candlebase/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { listActions } from '../actions/store';
import { getStatus, recentJobs } from '../backfill/service';
import { submitBackfill } from '../backfill/submit';
import type { AppContext } from '../context';
import { InputError, wireOf } from '../errors';
import { isAuthorized } from '../security/auth';
import { renderDocsPage } from './docs-page';
import { openApiDocument } from './openapi';
import { listParam, textParam, toValidationError } from './validation';

type Query = Record<string, unknown>;

async function answer<T>(reply: FastifyReply, work: () => Promise<T>): Promise<FastifyReply> {
  try {
    return reply.send(await work());
  } catch (err) {
    const wire = wireOf(err);
    if (!wire) throw err;
    reply.headers(wire.headers);
    if (err instanceof InputError) {
      return reply.code(422).send({ detail: [{ loc: ['query', err.field], msg: err.message, type: 'value_error' }] });
    }
    return reply.code(wire.status).send({ detail: (err as Error).message });
  }
}

/** The classic v1 endpoints, as thin adapters over the same services as tRPC. */
export async function registerRest(http: FastifyInstance, app: AppContext): Promise<void> {
  http.post('/api/v1/backfill', async (req, reply) => {
    if (!isAuthorized(app, req.headers.authorization)) {
      return reply.code(401).send({ detail: 'This action needs the API token (Authorization: Bearer …)' });
    }
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
    const parsed = backfillRequestSchema.safeParse(raw);
    if (!parsed.success) return reply.code(422).send(toValidationError(parsed.error, fromBody ? 'body' : 'query'));
    return answer(reply, () => submitBackfill(app, parsed.data, req.ip));
  });

  http.get('/api/v1/backfill/status/:job_id', async (req, reply) => {
    const { job_id } = req.params as { job_id: string };
    const parsed = backfillStatusInputSchema.safeParse({ jobId: job_id });
    if (!parsed.success) {
      return reply
        .code(422)
        .send({ detail: [{ loc: ['path', 'job_id'], msg: 'Job id must be a UUID', type: 'value_error' }] });
    }
    return answer(reply, () => getStatus(app.database.db, parsed.data.jobId));
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
    return answer(reply, () => listActions(app.database.db, parsed.data.symbol));
  });

  const doc = openApiDocument(app.version);
  http.get('/api/v1/openapi.json', async (_req, reply) => reply.send(doc));
  http.get('/docs', async (_req, reply) => reply.type('text/html').send(renderDocsPage(doc)));
  http.get('/api/v1/health', async (_req, reply) =>
    reply.send({ status: app.dbHealth.ok ? 'ok' : 'degraded', database: app.database.engine }),
  );
}
