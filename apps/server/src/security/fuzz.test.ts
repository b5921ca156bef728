import { TIMEFRAME_LIST } from '@candlebase/contracts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';

/** Every procedure of the router, with its kind, so the fuzzer calls each the way a client would. */
const PROCEDURES: [path: string, kind: 'query' | 'mutation'][] = [
  ['system.health', 'query'],
  ['system.metrics', 'query'],
  ['symbols.list', 'query'],
  ['symbols.snapshot', 'query'],
  ['symbols.get', 'query'],
  ['symbols.add', 'mutation'],
  ['symbols.remove', 'mutation'],
  ['symbols.setProvider', 'mutation'],
  ['symbols.rename', 'mutation'],
  ['symbols.lookup', 'mutation'],
  ['watchlists.list', 'query'],
  ['watchlists.create', 'mutation'],
  ['watchlists.rename', 'mutation'],
  ['watchlists.remove', 'mutation'],
  ['watchlists.addSymbols', 'mutation'],
  ['watchlists.removeSymbols', 'mutation'],
  ['candles.list', 'query'],
  ['candles.actions', 'query'],
  ['backfill.create', 'mutation'],
  ['backfill.status', 'query'],
  ['backfill.recent', 'query'],
  ['backfill.cancel', 'mutation'],
  ['backfill.retry', 'mutation'],
  ['system.checks', 'query'],
  ['enrichment.features', 'query'],
  ['enrichment.coverage', 'query'],
  ['enrichment.fillGaps', 'mutation'],
  ['alerts.recent', 'query'],
];

const hostile = fc.constantFrom(
  '',
  ' ',
  '<script>alert(1)</script>',
  "'; drop table candles; --",
  '\u0000',
  '../../etc/passwd',
  '9'.repeat(400),
  '💥',
  'AAPL',
  'BTC-USD',
  '2024-02-30',
  '2024-01-01',
  '00000000-0000-4000-8000-000000000000',
  'NaN',
  '-1',
);
const text = fc.oneof(hostile, fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 12 }));
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const dateish = fc.oneof(
  text,
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
);

const MAX_BIGINT = 2n ** 63n - 1n;
/** Event ids from the whole bigint range and beyond it, both ends, as a client would send them. */
const eventId = fc.oneof(
  fc.bigInt({ min: 0n, max: MAX_BIGINT }),
  fc.bigInt({ min: MAX_BIGINT - 3n, max: MAX_BIGINT + 3n }),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
  fc.constantFrom(0n, MAX_BIGINT, MAX_BIGINT + 1n, 10n ** 20n - 1n, -1n),
);
const eventIdText = fc.oneof(
  eventId.map(String),
  eventId.map((n) => `${n}`.padStart(25, '0')),
  fc.constantFrom('99999999999999999999', '1e3', '0x10', ' 1', '1 '),
);

/** Inputs shaped like the contracts, with every field sometimes wrong. */
const nearValid = fc.record(
  {
    symbol: text,
    symbols: fc.oneof(fc.array(text, { maxLength: 5 }), scalar),
    start_date: dateish,
    end_date: dateish,
    timeframe: fc.oneof(fc.constantFrom(...TIMEFRAME_LIST), text),
    timeframes: fc.oneof(fc.array(fc.oneof(fc.constantFrom(...TIMEFRAME_LIST), text), { maxLength: 5 }), scalar),
    jobId: fc.oneof(fc.uuid(), text),
    lastEventId: fc.oneof(text, fc.nat().map(String), eventIdText),
    limit: fc.oneof(fc.integer({ min: -10, max: 10_000 }), scalar),
    cursor: dateish,
    from: dateish,
    to: dateish,
    refetch: scalar,
    name: text,
    asset_class: text,
    id: fc.oneof(fc.integer(), fc.constantFrom(2 ** 31, 2 ** 53, 1.5, -1, 0, 1), scalar),
    force: scalar,
    keep_candles: scalar,
  },
  { requiredKeys: [] },
);
const anyInput = fc.oneof({ weight: 3, arbitrary: nearValid }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });

describe('fuzzing every procedure and endpoint', () => {
  let h: Harness;
  const tally = { cases: 0, statuses: new Map<number, number>() };
  const count = (status: number) => tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);

  beforeAll(async () => {
    h = await startHarness('pglite', {
      env: { WORKER_ENABLED: 'false', BACKFILL_RATE_PER_MINUTE: '100000', MAX_ACTIVE_JOBS: '100000' },
    });
  });
  afterAll(async () => {
    console.log(`fuzz: ${tally.cases} cases, statuses ${JSON.stringify(Object.fromEntries(tally.statuses))}`);
    await h?.close();
  });

  async function expectClientError(res: Response, what: string): Promise<void> {
    tally.cases++;
    count(res.status);
    const body = await res.text();
    expect(res.status, `${what} -> ${res.status} ${body.slice(0, 300)}`).toBeLessThan(500);
    if (res.status >= 400) {
      const parsed = JSON.parse(body) as { error?: { message?: string }; detail?: unknown };
      const message = parsed.error?.message ?? parsed.detail;
      expect(message, `${what}: a rejection says why`).toBeTruthy();
    }
  }

  // 3,000 HTTP round trips: minutes, not seconds, on a machine shared with other work.
  it('tRPC: every procedure answers any input with 2xx or a 4xx that says why', { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PROCEDURES), anyInput, async ([path, kind], input) => {
        const res =
          kind === 'query'
            ? await fetch(`${h.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`)
            : await fetch(`${h.url}/trpc/${path}`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(input),
              });
        await expectClientError(res, `${path}(${JSON.stringify(input).slice(0, 200)})`);
      }),
      { numRuns: 3000, seed: 20261129 },
    );
  });

  it('tRPC subscription: lastEventId from the whole bigint range and beyond, in the input and in Last-Event-ID', async () => {
    const { job_id } = await h.caller.backfill.create({ symbols: ['FUZZ'], timeframes: ['1d'] });
    await fc.assert(
      fc.asyncProperty(eventIdText, fc.boolean(), async (id, asHeader) => {
        const input = asHeader ? { jobId: job_id } : { jobId: job_id, lastEventId: id };
        const res = await fetch(
          `${h.url}/trpc/backfill.onProgress?input=${encodeURIComponent(JSON.stringify(input))}`,
          {
            headers: { accept: 'text/event-stream', ...(asHeader ? { 'last-event-id': id } : {}) },
          },
        );
        tally.cases++;
        count(res.status);
        // HTTP trims a header's value.
        const sent = asHeader ? id.trim() : id;
        const inRange = /^\d{1,19}$/.test(sent) && BigInt(sent) <= MAX_BIGINT;
        if (inRange) {
          // A live stream: its first bytes came, which is all this needs to know.
          expect(res.status, `${id} (header: ${asHeader})`).toBe(200);
          await res.body?.cancel();
        } else {
          const body = await res.text();
          expect(res.status, `${id} (header: ${asHeader}) -> ${body.slice(0, 200)}`).toBe(400);
          expect(body).toContain('lastEventId must be an event id');
        }
      }),
      { numRuns: 400, seed: 20261201 },
    );
  });

  it('REST: bad query strings, bodies and paths get 4xx with a message, never 5xx', { timeout: 240_000 }, async () => {
    const query = fc.dictionary(
      fc.constantFrom('symbols', 'start_date', 'end_date', 'timeframes', 'limit', 'refetch', 'x'),
      text,
      {
        maxKeys: 5,
      },
    );
    const uploadQuery = fc.dictionary(fc.constantFrom('symbol', 'timeframe', 'timezone', 'x'), text, { maxKeys: 4 });
    const request = fc.oneof(
      query.map((q) => ({
        method: 'POST',
        path: `/api/v1/backfill?${new URLSearchParams(q)}`,
        body: undefined as string | undefined,
      })),
      anyInput.map((b) => ({ method: 'POST', path: '/api/v1/backfill', body: JSON.stringify(b) })),
      fc.string({ maxLength: 60 }).map((b) => ({ method: 'POST', path: '/api/v1/backfill', body: b })),
      text.map((id) => ({ method: 'GET', path: `/api/v1/backfill/status/${encodeURIComponent(id)}`, body: undefined })),
      query.map((q) => ({ method: 'GET', path: `/api/v1/backfill/recent?${new URLSearchParams(q)}`, body: undefined })),
      query.map((q) => ({ method: 'GET', path: `/api/v1/actions?${new URLSearchParams(q)}`, body: undefined })),
      fc.tuple(text, uploadQuery).map(([id, q]) => ({
        method: 'GET',
        path: `/api/v1/uploads/${encodeURIComponent(id)}/preview?${new URLSearchParams(q)}`,
        body: undefined,
      })),
      fc.tuple(text, uploadQuery).map(([id, q]) => ({
        method: 'POST',
        path: `/api/v1/uploads/${encodeURIComponent(id)}/import?${new URLSearchParams(q)}`,
        body: undefined,
      })),
      fc.tuple(text, fc.string({ maxLength: 200 })).map(([name, b]) => ({
        method: 'POST',
        path: `/api/v1/uploads?filename=${encodeURIComponent(name)}`,
        body: b,
      })),
    );
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const res = await fetch(`${h.url}${r.path}`, {
          method: r.method,
          headers: r.body === undefined ? {} : { 'content-type': 'application/json' },
          body: r.body,
        });
        await expectClientError(res, `${r.method} ${r.path} ${r.body?.slice(0, 100) ?? ''}`);
      }),
      { numRuns: 2500, seed: 11292026 },
    );
    expect(tally.cases).toBeGreaterThanOrEqual(5000);
  });
});
