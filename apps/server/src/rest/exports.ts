import { Readable } from 'node:stream';
import {
  type CandlesExportQuery,
  candlesExportQuerySchema,
  encodeExportCursor,
  restReplyOf,
} from '@candlebase/contracts';
import type { Db } from '@candlebase/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context';
import { exportPage, exportPages, requireKnownSymbols } from '../exports/read-candles';
import { csvChunks } from '../exports/write-csv';
import { parquetChunks } from '../exports/write-parquet';
import { listParam, textParam, toValidationError } from './validation';

type Query = Record<string, unknown>;

/** The query as the contract reads it: lists split, one value per other field. */
function rawQuery(q: Query) {
  return {
    symbols: listParam(q.symbols),
    timeframe: textParam(q.timeframe),
    start_date: textParam(q.start_date),
    end_date: textParam(q.end_date),
    adjust: textParam(q.adjust),
    limit: textParam(q.limit),
    cursor: textParam(q.cursor),
  };
}

/** `candles_AAPL-MSFT_1d_2024-01-01_2024-01-31.csv` (`…_none.csv` unadjusted): what a script or a browser saves it as. */
export function exportFilename(q: CandlesExportQuery, ext: string): string {
  const names = q.symbols.map((s) => s.replace(/[^A-Za-z0-9.-]/g, '-'));
  const symbols = names.length > 5 ? `${names.slice(0, 5).join('-')}-and-${names.length - 5}-more` : names.join('-');
  const { start_date: from, end_date: to } = q;
  const range = from && to ? `${from}_${to}` : from ? `from_${from}` : to ? `to_${to}` : 'all';
  // Split-adjusted is the default; any other choice is named, so two downloads never look alike.
  const adjust = q.adjust === 'splits' ? '' : `_${q.adjust}`;
  return `candles_${symbols}_${q.timeframe}_${range}${adjust}.${ext}`;
}

/**
 * Validates and checks the symbols before anything is sent; null when the reply (a 422 or a 404)
 * has been sent already.
 */
async function parseExport(
  app: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<{ q: CandlesExportQuery; db: Db } | null> {
  const parsed = candlesExportQuerySchema.safeParse(rawQuery((req.query ?? {}) as Query));
  if (!parsed.success) {
    await reply.code(422).send(toValidationError(parsed.error, 'query'));
    return null;
  }
  // Where this client's reads go: the replica once it has the client's own writes.
  const db = await app.reads.forClient(req.ip);
  try {
    await requireKnownSymbols(db, parsed.data.symbols);
  } catch (err) {
    const wire = restReplyOf(err);
    if (!wire) throw err;
    await reply.code(wire.status).headers(wire.headers).send(wire.body);
    return null;
  }
  return { q: parsed.data, db };
}

/**
 * Streams chunks with the socket's backpressure: the next page is read only once the last was
 * taken. A HEAD (DuckDB asks one first) gets the headers alone, without producing the file; with
 * no length given, DuckDB reads the file in one GET.
 */
function stream(
  req: FastifyRequest,
  reply: FastifyReply,
  app: AppContext,
  chunks: () => AsyncIterable<string | Uint8Array>,
  type: string,
  filename: string,
) {
  reply
    .type(type)
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .header('accept-ranges', 'none');
  // An empty stream, not an empty body: that would say `content-length: 0`, and the file's size is not known.
  if (req.method === 'HEAD') return reply.send(Readable.from([]));
  const body = Readable.from(chunks(), { objectMode: false });
  body.on('error', (err) => app.log.warn({ err: err.message }, 'an export stopped part-way'));
  return reply.send(body);
}

/** `GET /api/v1/candles` (JSON pages), `.csv` and `.parquet` (whole ranges, streamed). */
export function registerExports(http: FastifyInstance, app: AppContext): void {
  http.get('/api/v1/candles', async (req, reply) => {
    const parsed = await parseExport(app, req, reply);
    if (!parsed) return reply;
    const { q, db } = parsed;
    const { rows, next } = await exportPage(db, q);
    return reply.send({
      timeframe: q.timeframe,
      adjust: q.adjust,
      candles: rows.map((r) => ({ ...r, ts: new Date(r.ts).toISOString() })),
      next_cursor: next ? encodeExportCursor(next) : null,
    });
  });

  const files = [
    { format: 'csv', type: 'text/csv; charset=utf-8', chunks: csvChunks },
    { format: 'parquet', type: 'application/vnd.apache.parquet', chunks: parquetChunks },
  ] as const;
  for (const file of files) {
    http.get(`/api/v1/candles.${file.format}`, async (req, reply) => {
      const parsed = await parseExport(app, req, reply);
      if (!parsed) return reply;
      const { q, db } = parsed;
      return stream(req, reply, app, () => file.chunks(exportPages(db, q)), file.type, exportFilename(q, file.format));
    });
  }
}
