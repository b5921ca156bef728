import type { AppRouter } from '@candlebase/api';
import type { ProgressMessage } from '@candlebase/contracts';
import { postgresAvailable } from '@candlebase/db/testing';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents } from '../testing/backfill-checks';
import { killAllChildren, startWorker } from '../testing/child-process';
import { type Harness, startHarness } from '../testing/harness';

type Client = ReturnType<typeof createTRPCClient<AppRouter>>;

/** Tracked messages reach a client as `{ id, data }`; the untracked snapshot as it is. */
function unwrap(raw: unknown): ProgressMessage {
  if (raw && typeof raw === 'object' && 'id' in raw && 'data' in raw) return raw.data as ProgressMessage;
  return raw as ProgressMessage;
}

/**
 * Subscribes over real HTTP/SSE and resolves with every message once the server ends the stream.
 * `onFirst` runs after the first message (the snapshot) arrives.
 */
function subscribe(
  client: Client,
  input: { jobId: string; lastEventId?: string },
  onFirst: () => void = () => {},
  timeoutMs = 60_000,
): Promise<ProgressMessage[]> {
  return new Promise((resolve, reject) => {
    const got: ProgressMessage[] = [];
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error(`The subscription did not end within ${timeoutMs} ms (got ${got.length} messages)`));
    }, timeoutMs);
    const sub = client.backfill.onProgress.subscribe(input, {
      onData: (raw) => {
        got.push(unwrap(raw));
        if (got.length === 1) onFirst();
      },
      onError: (err) => {
        clearTimeout(timer);
        reject(err);
      },
      onComplete: () => {
        clearTimeout(timer);
        resolve(got);
      },
    });
  });
}

describe.runIf(postgresAvailable())('progress over SSE from a worker in another process', () => {
  let h: Harness;
  let client: Client;

  beforeAll(async () => {
    // The API server here has no worker: every unit runs in the child process.
    h = await startHarness('postgres', { env: { WORKER_ENABLED: 'false' } });
    const url = `${h.url}/trpc`;
    client = createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({ url, EventSource }),
          false: httpLink({ url }),
        }),
      ],
    });
  });
  afterAll(async () => {
    await killAllChildren();
    await h?.close();
  });

  it('streams the snapshot then every event in id order, live, and resumes after lastEventId', {
    timeout: 180_000,
  }, async () => {
    const { job_id } = await client.backfill.create.mutate({
      symbols: ['BTC-USD', 'ETH-USD', 'SOL-USD', 'ADA-USD', 'XRP-USD', 'DOGE-USD'],
      timeframes: ['5m'],
      start_date: '2024-01-01',
      end_date: '2024-01-30',
    });
    // Subscribe while nothing runs the job, then start the worker: every later event comes live
    // from the other process, through Postgres NOTIFY.
    let started: Promise<string> = Promise.resolve('');
    const messages = await subscribe(client, { jobId: job_id }, () => {
      started = startWorker(h.test.url ?? '').then((w) => w.workerId);
    });
    const workerId = await started;

    const [snapshot, ...rest] = messages;
    expect(snapshot?.type).toBe('snapshot');
    if (snapshot?.type !== 'snapshot') return;
    expect(snapshot.job.job_id).toBe(job_id);
    expect(snapshot.job.status).toBe('queued');
    expect(snapshot.units).toHaveLength(6);
    const events = rest.map((m) => {
      if (m.type !== 'event') throw new Error('only the first message may be a snapshot');
      return m;
    });
    const ids = events.map((m) => m.event.id);
    const stored = await allEvents(h.test.database.db, job_id);
    expect(ids).toEqual(stored.map((e) => e.id));
    expect(events.map((m) => Number(m.event.id))).toEqual([...ids.map(Number)].sort((a, b) => a - b));
    expect(events[0]?.event.kind).toBe('job_created');
    expect(events.at(-1)?.event.kind).toBe('job_completed');
    expect(events.at(-1)?.job.status).toBe('completed');
    expect(events.filter((m) => m.event.kind === 'unit_completed')).toHaveLength(6);
    // Every unit ran in the worker process, not here.
    const workers = new Set(stored.filter((e) => e.kind === 'unit_started').map((e) => e.data?.worker_id));
    expect([...workers]).toEqual([workerId]);

    const middle = Math.floor(ids.length / 2);
    const resumed = await subscribe(client, { jobId: job_id, lastEventId: ids[middle] ?? '0' });
    expect(resumed[0]?.type).toBe('snapshot');
    expect(resumed.slice(1).map((m) => (m.type === 'event' ? m.event.id : 'snapshot'))).toEqual(ids.slice(middle + 1));
    console.log(
      `SSE: ${ids.length} events across processes; resumed after #${middle + 1} with the ${ids.length - middle - 1} others`,
    );
  });
});
