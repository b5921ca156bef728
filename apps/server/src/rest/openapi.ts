import {
  actionsListSchema,
  backfillCreatedSchema,
  backfillJobSchema,
  backfillRequestFieldsSchema,
  backfillStatusSchema,
  errorSchema,
  uploadCreatedSchema,
  uploadPreviewSchema,
  validationErrorSchema,
} from '@candlebase/contracts';
import { z } from 'zod';
import { createDocument } from 'zod-openapi';

/** The settings of an upload as the query names them (the contract's schema transforms, which a document cannot show). */
const uploadQuery = z.object({
  symbol: z.string().meta({ description: 'The symbol the file holds, e.g. AAPL', example: 'AAPL' }),
  timeframe: z.enum(['5m', '15m', '1h', '1d']),
  timezone: z
    .string()
    .optional()
    .meta({ description: 'IANA zone of times written without one, e.g. America/New_York', example: 'UTC' }),
});
const uploadPath = z.object({ id: z.uuid().meta({ description: 'The upload_id from POST /api/v1/uploads' }) });

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** The OpenAPI document of the REST v1 surface, generated from the contracts' zod schemas. */
export function openApiDocument(version: string) {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Candlebase REST API',
      version,
      description:
        'Backfill OHLCV candles into Candlebase. Lists may be repeated (`symbols=A&symbols=B`) or comma-separated (`symbols=A,B`). ' +
        'Dates are YYYY-MM-DD (UTC, inclusive) and default to the last 30 days. When the server has an API token, POST needs `Authorization: Bearer <token>`.',
    },
    paths: {
      '/api/v1/backfill': {
        post: {
          summary: 'Start a backfill job',
          description:
            'Validates the request, creates unknown symbols, queues one unit per symbol and timeframe, and answers at once.',
          requestParams: { query: backfillRequestFieldsSchema },
          requestBody: { required: false, content: { 'application/json': { schema: backfillRequestFieldsSchema } } },
          responses: {
            '200': json(backfillCreatedSchema, 'The job was queued'),
            '401': json(errorSchema, 'An API token is configured and this request lacks it'),
            '422': json(validationErrorSchema, 'The request is invalid; each bad field is named'),
          },
        },
      },
      '/api/v1/backfill/status/{job_id}': {
        get: {
          summary: 'A job with every symbol x timeframe unit',
          requestParams: {
            path: z.object({ job_id: z.uuid().meta({ description: 'The job id from POST /api/v1/backfill' }) }),
          },
          responses: {
            '200': json(backfillStatusSchema, 'The job and its units'),
            '404': json(errorSchema, 'No job has this id'),
            '422': json(validationErrorSchema, 'The id is not a UUID'),
          },
        },
      },
      '/api/v1/actions': {
        get: {
          summary: "A symbol's splits and dividends, oldest first",
          description:
            'Candles are stored as traded; these actions adjust them when read (`adjust`: none, splits, all). ' +
            'A split has `ratio` (new shares per old share), a dividend `amount` (cash per share); the other is null.',
          requestParams: {
            query: z.object({ symbol: z.string().meta({ description: 'The symbol, e.g. AAPL', example: 'AAPL' }) }),
          },
          responses: {
            '200': json(actionsListSchema, 'The recorded actions; empty when none are known'),
            '422': json(validationErrorSchema, 'The symbol is missing or malformed'),
          },
        },
      },
      '/api/v1/uploads': {
        post: {
          summary: 'Upload a CSV file (the raw body, streamed to disk)',
          description:
            'Send the file itself as the body (any content type, e.g. text/csv), its name in `filename`. Up to UPLOAD_MAX_MB (200 MB by default).',
          requestParams: { query: z.object({ filename: z.string().optional() }) },
          responses: {
            '200': json(uploadCreatedSchema, 'The file is stored, waiting for a preview and an import'),
            '401': json(errorSchema, 'An API token is configured and this request lacks it'),
            '413': json(errorSchema, 'The file is larger than the server accepts'),
          },
        },
      },
      '/api/v1/uploads/{id}/preview': {
        get: {
          summary: 'The uploaded file as it would be stored: first bars, count, range, refused rows by line',
          requestParams: { path: uploadPath, query: uploadQuery },
          responses: {
            '200': json(uploadPreviewSchema, 'The preview'),
            '404': json(errorSchema, 'No staged upload has this id'),
            '422': json(validationErrorSchema, 'A setting is invalid, or the file cannot be read'),
          },
        },
      },
      '/api/v1/uploads/{id}/import': {
        post: {
          summary: 'Import the uploaded file as a backfill job (provider `upload`)',
          description: 'Refused (422) while the file has refused rows: nothing of it is stored then.',
          requestParams: { path: uploadPath, query: uploadQuery },
          responses: {
            '200': json(backfillCreatedSchema, 'The job was queued'),
            '401': json(errorSchema, 'An API token is configured and this request lacks it'),
            '404': json(errorSchema, 'No staged upload has this id'),
            '422': json(validationErrorSchema, 'A setting is invalid, or the file has refused rows'),
          },
        },
      },
      '/api/v1/backfill/recent': {
        get: {
          summary: 'Recent jobs, newest first',
          requestParams: { query: z.object({ limit: z.number().int().min(1).max(100).default(10).optional() }) },
          responses: {
            '200': json(backfillJobSchema.array(), 'Up to `limit` jobs'),
            '422': json(validationErrorSchema, 'limit is not a whole number from 1 to 100'),
          },
        },
      },
    },
  });
}
