import { once } from 'node:events';
import { onProgressInputSchema, type ProgressMessage } from '@candlebase/contracts';
import type { FastifyInstance } from 'fastify';
import type { FeedEntry } from '../backfill/job-feed';
import { jobStatus } from '../backfill/job-status';
import { getJob } from '../backfill/service';
import type { AppContext } from '../context';
import { isAuthorized } from '../security/auth';

const PATH = '/trpc/backfill.onProgress';

/** One event's SSE frame, as tRPC writes a tracked message, built once for every subscriber. */
const frames = new WeakMap<FeedEntry, Buffer>();
function frameOf(entry: FeedEntry): Buffer {
  let frame = frames.get(entry);
  if (!frame) {
    const message: ProgressMessage = { type: 'event', event: entry.event, job: entry.job };
    frame = Buffer.from(`data: ${JSON.stringify(message)}\nid: ${entry.event.id}\n\n\n`);
    frames.set(entry, frame);
  }
  return frame;
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return Symbol.for('invalid');
  }
}

/**
 * `backfill.onProgress` over SSE, written here in tRPC's own SSE wire form (`connected`, the
 * untracked snapshot, tracked events, `restore-id` after a resume, `return`) so
 * `httpSubscriptionLink` reads it as usual, but with each event's frame serialized once and the
 * same bytes written to every subscriber of the job. Through tRPC each subscriber's stream
 * serialized and encoded every event itself through web streams: with 1,000 subscribers that,
 * not the database, was the cost. Anything unusual (a batch, a bad or missing input, a caller
 * without the token, an unknown job) goes through tRPC, which answers it in its own form.
 */
export function registerProgressFastPath(http: FastifyInstance, app: AppContext): void {
  http.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' || !req.url.startsWith(PATH)) return;
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname !== PATH || url.searchParams.has('batch')) return;
    const params = parseJson(url.searchParams.get('connectionParams'));
    const token = params && typeof params === 'object' && 'token' in params ? params.token : undefined;
    if (!isAuthorized(app, req.headers.authorization, token)) return;
    const header = req.headers['last-event-id'];
    const resume =
      (typeof header === 'string' ? header : undefined) ??
      url.searchParams.get('lastEventId') ??
      url.searchParams.get('Last-Event-Id') ??
      null;
    const raw = parseJson(url.searchParams.get('input'));
    if (!raw || typeof raw !== 'object') return;
    const parsed = onProgressInputSchema.safeParse(resume ? { ...raw, lastEventId: resume } : raw);
    if (!parsed.success) return;
    const input = parsed.data;
    const found = await getJob(app.database.db, input.jobId).then(
      () => true,
      () => false,
    );
    if (!found) return;

    const res = reply.raw;
    const closed = new AbortController();
    res.on('close', () => closed.abort());
    const stop = AbortSignal.any([closed.signal, app.shutdown]);
    reply.hijack();
    const write = async (chunk: string | Buffer) => {
      if (!res.write(chunk) && !stop.aborted) await once(res, 'drain', { signal: stop }).catch(() => {});
    };
    // What the earlier hooks set (CORS for a listed origin, the security headers) still applies.
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) res.setHeader(name, value);
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    const feed = app.progress.follow(input.jobId, input.lastEventId ?? '0', stop);
    try {
      await write('event: connected\ndata: {}\n\n\n');
      const { details, ...job } = await jobStatus(app, input.jobId);
      const snapshot = JSON.stringify({ type: 'snapshot', job, units: details } satisfies ProgressMessage);
      // As tRPC does: an untracked message after a resume clears the id, then restores it.
      if (resume) await write(`data: ${snapshot}\nid: \n\n\nevent: restore-id\ndata: \nid: ${resume}\n\n\n`);
      else await write(`data: ${snapshot}\n\n\n`);
      for await (const entry of feed) {
        if (stop.aborted) break;
        await write(frameOf(entry));
      }
      if (!stop.aborted) await write('event: return\ndata: \n\n\n');
      res.end();
    } catch (err) {
      app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'progress stream ended by an error');
      // The client reconnects with its Last-Event-ID and loses nothing.
      res.destroy();
    } finally {
      await feed.return(undefined);
    }
  });
}
