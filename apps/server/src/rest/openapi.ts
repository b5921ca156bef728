import {
  actionsListSchema,
  backfillCreatedSchema,
  backfillJobSchema,
  backfillPreviewSchema,
  backfillRequestFieldsSchema,
  backfillStatusSchema,
  candlesExportFieldsSchema,
  candlesExportPageSchema,
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
      '/api/v1/backfill/preview': {
        post: {
          summary: 'What a backfill would fetch, without starting it',
          description:
            'The same parameters and 422s as POST /api/v1/backfill. Per symbol and timeframe: the ranges not yet stored (a stored, ' +
            'complete span is skipped as the run skips it), the bars the exchange calendar expects there, the provider requests they ' +
            "cost, and the time the providers' quotas allow. Creates nothing.",
          requestParams: { query: backfillRequestFieldsSchema },
          requestBody: { required: false, content: { 'application/json': { schema: backfillRequestFieldsSchema } } },
          responses: {
            '200': json(backfillPreviewSchema, 'The plan'),
            '422': json(validationErrorSchema, 'The request is invalid; each bad field is named'),
          },
        },
      },
      '/api/v1/candles': {
        get: {
          summary: 'Candles of one timeframe for scripts, oldest first, symbol by symbol, in pages',
          description:
            'Pass the `next_cursor` of a page as `cursor` for the next; null on the last. Prices are adjusted as `adjust` says ' +
            '(none, splits by default, all).',
          requestParams: { query: candlesExportFieldsSchema },
          responses: {
            '200': json(candlesExportPageSchema, 'One page'),
            '404': json(errorSchema, 'A symbol is not known to this server'),
            '422': json(validationErrorSchema, 'A parameter is invalid; each bad field is named'),
          },
        },
      },
      '/api/v1/candles.csv': {
        get: {
          summary: 'The whole range as CSV, streamed (pandas.read_csv(url))',
          description:
            'Columns symbol,timeframe,ts,open,high,low,close,volume,vwap,trades,source; ts is an ISO 8601 UTC instant. `limit` and `cursor` do not apply.',
          requestParams: { query: candlesExportFieldsSchema.omit({ limit: true, cursor: true }) },
          responses: {
            '200': { description: 'The CSV file', content: { 'text/csv': { schema: z.string() } } },
            '404': json(errorSchema, 'A symbol is not known to this server'),
            '422': json(validationErrorSchema, 'A parameter is invalid; each bad field is named'),
          },
        },
      },
      '/api/v1/candles.parquet': {
        get: {
          summary: 'The whole range as Parquet, streamed (pandas.read_parquet(url), DuckDB read_parquet)',
          description:
            'The CSV columns; ts is TIMESTAMP(MILLIS, adjusted to UTC), prices and volume DOUBLE, trades INT64; one row group per 50,000 rows.',
          requestParams: { query: candlesExportFieldsSchema.omit({ limit: true, cursor: true }) },
          responses: {
            '200': {
              description: 'The Parquet file',
              content: { 'application/vnd.apache.parquet': { schema: z.string().meta({ format: 'binary' }) } },
            },
            '404': json(errorSchema, 'A symbol is not known to this server'),
            '422': json(validationErrorSchema, 'A parameter is invalid; each bad field is named'),
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
