import type { IncomingMessage } from 'node:http';
import { type UploadSettings, uploadIdSchema, uploadSettingsSchema } from '@candlebase/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { submitBackfill } from '../backfill/submit';
import type { AppContext } from '../context';
import { UPLOAD_PROVIDER } from '../providers/from-config';
import { isAuthorized } from '../security/auth';
import { dropStaging, previewUpload, saveUpload, stageForImport, tooLarge } from '../uploads/store';
import { answer } from './answer';
import { textParam, toValidationError } from './validation';

type Query = Record<string, unknown>;

function settingsOf(req: FastifyRequest) {
  const q = (req.query ?? {}) as Query;
  return uploadSettingsSchema.safeParse({
    symbol: textParam(q.symbol) ?? '',
    timeframe: textParam(q.timeframe) ?? '',
    timezone: textParam(q.timezone),
  });
}

const dateOf = (iso: string) => iso.slice(0, 10);

/**
 * CSV files from the dashboard: `POST /api/v1/uploads` streams the body to disk (any content type,
 * never buffered, capped at UPLOAD_MAX_MB), `GET .../preview` reads it as it would be stored,
 * `POST .../import` starts a backfill job from the `upload` provider.
 */
export async function registerUploads(http: FastifyInstance, app: AppContext): Promise<void> {
  const unauthorized = (reply: FastifyReply) =>
    reply.code(401).send({ detail: 'This action needs the API token (Authorization: Bearer …)' });

  await http.register(async (scope) => {
    // In this scope only: hand the raw request stream over instead of parsing (and buffering) it.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    scope.post('/api/v1/uploads', async (req, reply) => {
      if (!isAuthorized(app, req.headers.authorization)) return unauthorized(reply);
      const declared = Number(req.headers['content-length'] ?? Number.NaN);
      if (Number.isFinite(declared) && declared > app.config.UPLOAD_MAX_MB * 1024 * 1024) {
        return reply
          .code(413)
          .header('connection', 'close')
          .send({ detail: tooLarge(app.config) });
      }
      const body = (req.body ?? req.raw) as IncomingMessage;
      const filename = textParam(((req.query ?? {}) as Query).filename);
      return answer(reply, () => saveUpload(app.config, body, filename));
    });
  });

  http.get('/api/v1/uploads/:id/preview', async (req, reply) => {
    const id = uploadIdSchema.safeParse((req.params as { id: string }).id);
    if (!id.success) return reply.code(422).send(toValidationError(id.error, 'path'));
    const settings = settingsOf(req);
    if (!settings.success) return reply.code(422).send(toValidationError(settings.error, 'query'));
    return answer(reply, () => previewUpload(app.config, id.data, settings.data));
  });

  http.post('/api/v1/uploads/:id/import', async (req, reply) => {
    if (!isAuthorized(app, req.headers.authorization)) return unauthorized(reply);
    const id = uploadIdSchema.safeParse((req.params as { id: string }).id);
    if (!id.success) return reply.code(422).send(toValidationError(id.error, 'path'));
    const settings = settingsOf(req);
    if (!settings.success) return reply.code(422).send(toValidationError(settings.error, 'query'));
    return answer(reply, () => importUpload(app, id.data, settings.data, req.ip));
  });
}

async function importUpload(app: AppContext, id: string, settings: UploadSettings, client: string) {
  const { preview, restore } = await stageForImport(app.config, id, settings);
  const first = preview.first ?? '';
  const last = preview.last ?? '';
  try {
    // refetch: the file's bars are read even where the series already has bars there (they may differ).
    const job = await submitBackfill(
      app,
      {
        symbols: [settings.symbol],
        timeframes: [settings.timeframe],
        start_date: dateOf(first),
        end_date: dateOf(last),
        refetch: true,
        provider: UPLOAD_PROVIDER,
      },
      client,
    );
    await dropStaging(app.config, id);
    return { ...job, preview };
  } catch (err) {
    await restore().catch(() => {});
    throw err;
  }
}
