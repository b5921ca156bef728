import type { ProgressMessage } from '@candlebase/contracts';
import { testEngines } from '@candlebase/db/testing';
import { isTrackedEnvelope } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePolygon, startFakePolygon } from '../testing/fake-polygon';
import { type Harness, startHarness } from '../testing/harness';
import type { EngineDeps } from './engine-deps';
import { BackfillWorker } from './worker';

const SUBSCRIBERS = 1000;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1] ?? Number.NaN;

/** The engine's share of the app, for a worker the test starts itself. */
function engineDeps(app: Harness['running']['app']): EngineDeps {
  return { database: app.database, clock: app.clock, providers: app.providers, notifier: app.hub, log: app.log };
}

function unwrap(raw: unknown): ProgressMessage {
  return (isTrackedEnvelope(raw) ? raw[1] : raw) as ProgressMessage;
}

describe.each(testEngines())('1,000 subscribers on one running job on %s', (engine) => {
  let h: Harness;
  let fake: FakePolygon;
  beforeAll(async () => {
    // 8 units of 9 pages, each page 100 ms away: a job of a few seconds with ~90 events.
    fake = await startFakePolygon({ pageSize: 96, latencyMs: 100 });
    h = await startHarness(engine, { provider: fake.provider(), env: { WORKER_ENABLED: 'false' } });
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it('all get every event from one shared read per wake, and health stays fast', { timeout: 180_000 }, async () => {
    const symbols = ['FANA-USD', 'FANB-USD', 'FANC-USD', 'FAND-USD', 'FANE-USD', 'FANF-USD', 'FANG-USD', 'FANH-USD'];
    const { job_id } = await h.caller.backfill.create({
      symbols,
      timeframes: ['5m'],
      start_date: '2024-03-04',
      end_date: '2024-03-06',
    });
    const streams = await Promise.all(
      Array.from({ length: SUBSCRIBERS }, () => h.caller.backfill.onProgress({ jobId: job_id })),
    );
    const received = streams.map(async (stream) => {
      const ids: string[] = [];
      for await (const raw of stream) {
        const m = unwrap(raw);
        if (m.type === 'event') ids.push(m.event.id);
      }
      return ids;
    });
    // The job runs only now, with everyone listening.
    const app = h.running.app;
    const worker = new BackfillWorker(engineDeps(app), {
      concurrency: 2,
      leaseSeconds: 5,
    });
    worker.start();
    let done = false;
    const all = Promise.all(received).finally(() => {
      done = true;
    });
    const health: number[] = [];
    let feeds = 0;
    while (!done) {
      feeds = Math.max(feeds, app.progress.size);
      const t0 = performance.now();
      const res = await fetch(`${h.url}/trpc/system.health`);
      expect(res.status).toBe(200);
      await res.json();
      health.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
    const lists = await all;
    await worker.stop();
    expect((await h.caller.backfill.status({ jobId: job_id })).status).toBe('completed');
    // One reader for the job, whatever the number of subscribers.
    expect(feeds).toBe(1);
    expect(app.progress.size).toBe(0);
    const first = lists[0] ?? [];
    expect(first.length).toBeGreaterThan(70);
    for (const ids of lists) expect(ids).toEqual(first);
    expect(health.length).toBeGreaterThan(5);
    expect(p95(health)).toBeLessThan(1000);
    console.log(
      `fan-out on ${engine}: ${SUBSCRIBERS} subscribers got ${first.length} events each; system.health p95 ${p95(health).toFixed(1)} ms over ${health.length} calls`,
    );
  });

  it('over HTTP: 200 SSE subscribers read the same frames, in the tRPC wire form, and a resume restores its id', {
    timeout: 180_000,
  }, async () => {
    const { job_id } = await h.caller.backfill.create({
      symbols: ['HTTPA-USD', 'HTTPB-USD', 'HTTPC-USD'],
      timeframes: ['5m'],
      start_date: '2024-03-04',
      end_date: '2024-03-06',
    });
    const input = encodeURIComponent(JSON.stringify({ jobId: job_id }));
    /** A stream read to its end; `subscribed` settles once its snapshot has come, so it is following the job. */
    const open = (headers: Record<string, string> = {}) => {
      let subscribed: () => void = () => {};
      const ready = new Promise<void>((resolve) => {
        subscribed = resolve;
      });
      const text = (async () => {
        try {
          const res = await fetch(`${h.url}/trpc/backfill.onProgress?input=${input}`, {
            headers: { accept: 'text/event-stream', ...headers },
          });
          expect(res.headers.get('content-type')).toBe('text/event-stream');
          const reader = res.body?.getReader();
          if (!reader) throw new Error('The progress stream has no body');
          const decoder = new TextDecoder();
          let body = '';
          let seen = false;
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            body += decoder.decode(value, { stream: true });
            if (!seen && body.includes('"type":"snapshot"')) {
              seen = true;
              subscribed();
            }
          }
          return body;
        } finally {
          // A stream that failed lets the test go on to report it, instead of waiting out its timeout.
          subscribed();
        }
      })();
      return { ready, text };
    };
    const read = (headers: Record<string, string> = {}) => open(headers).text;
    const streams = Array.from({ length: 200 }, () => open());
    // Every subscriber follows the job before it runs: one that connected late would read the
    // events already stored with the job as it is by then, and its bytes would differ by design.
    await Promise.all(streams.map((s) => s.ready));
    const app = h.running.app;
    const worker = new BackfillWorker(engineDeps(app), {
      concurrency: 2,
      leaseSeconds: 5,
    });
    worker.start();
    const texts = await Promise.all(streams.map((s) => s.text));
    await worker.stop();
    // Each reads its own snapshot when it connects; the events after it are the same bytes for all.
    const after = (t: string) => t.split('\n\n\n').slice(2).join('\n\n\n');
    const first = texts[0] ?? '';
    for (const t of texts) expect(after(t)).toBe(after(first));
    const frames = first.split('\n\n\n').filter(Boolean);
    expect(frames[0]).toBe('event: connected\ndata: {}');
    expect(JSON.parse(frames[1]?.replace(/^data: /, '') ?? '{}').type).toBe('snapshot');
    expect(frames.at(-1)).toBe('event: return\ndata: ');
    const events = frames.slice(2, -1).map((f) => {
      const m = /^data: (.*)\nid: (\d+)$/s.exec(f);
      expect(m, f.slice(0, 200)).not.toBeNull();
      const message = JSON.parse(m?.[1] ?? '{}') as ProgressMessage;
      expect(message.type === 'event' && message.event.id).toBe(m?.[2]);
      return m?.[2] ?? '';
    });
    expect(events.length).toBeGreaterThan(30);
    const stored = await h.caller.backfill.status({ jobId: job_id });
    expect(stored.status).toBe('completed');

    const cut = events[9] ?? '';
    const resumed = (await read({ 'last-event-id': cut })).split('\n\n\n').filter(Boolean);
    expect(resumed[0]).toBe('event: connected\ndata: {}');
    expect(resumed[1]).toMatch(/^data: \{"type":"snapshot".*\nid: $/s);
    expect(resumed[2]).toBe(`event: restore-id\ndata: \nid: ${cut}`);
    expect(resumed.slice(3, -1).map((f) => /\nid: (\d+)$/.exec(f)?.[1])).toEqual(events.slice(10));
  });
});
