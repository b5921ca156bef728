import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { finishedJob } from '../testing/backfill-checks';
import { type FakePolygon, startFakePolygon } from '../testing/fake-polygon';
import { type Harness, startHarness } from '../testing/harness';
import { redactSecrets, registerSecret } from './redact';

const KEY = 'SECRETKEY123';

describe('redactSecrets', () => {
  it('hides keys, tokens, Authorization and URL passwords in queries, JSON and headers', () => {
    expect(redactSecrets('GET /v2/aggs?adjusted=true&apiKey=abc123&limit=5')).toBe(
      'GET /v2/aggs?adjusted=true&apiKey=***&limit=5',
    );
    expect(redactSecrets('{"api_key": "abc123", "token":"t0k"}')).toBe('{"api_key": "***", "token":"***"}');
    expect(redactSecrets('Authorization: Bearer eyJhbGciOi.x-y')).toBe('Authorization: Bearer ***');
    expect(redactSecrets('postgres://app:hunter2@db:5432/x')).toBe('postgres://app:***@db:5432/x');
    expect(redactSecrets('https://x.example/q?key=AIza123&a=1')).toBe('https://x.example/q?key=***&a=1');
    expect(redactSecrets('Proxy-Authorization: Basic dXNlcjpodW50ZXIy')).toBe('Proxy-Authorization: Basic ***');
    // Ordinary words stay.
    for (const plain of [
      'duplicate key value violates unique constraint',
      'Token expired; Basic checks passed',
      'Polygon rejected the API key (401): check POLYGON_API_KEY',
    ]) {
      expect(redactSecrets(plain)).toBe(plain);
    }
  });

  it('hides a registered value wherever it appears, and a path by its setting', () => {
    registerSecret('k-9f8e7d6c');
    registerSecret('/srv/private/csv', 'CSV_DIR');
    expect(redactSecrets('the key k-9f8e7d6c is not valid')).toBe('the key *** is not valid');
    expect(redactSecrets('No CSV file for X 1h in /srv/private/csv (expected X_1h.csv)')).toBe(
      'No CSV file for X 1h in CSV_DIR (expected X_1h.csv)',
    );
  });

  it('the logger redacts messages and fields', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('info', sink);
    log.warn({ err: 'Polygon refused the request: apiKey=zzz999' }, 'retry ?token=abc&x=1');
    expect(lines.join('')).not.toMatch(/zzz999|abc&/);
    expect(lines.join('')).toContain('apiKey=***');
  });
});

describe.each(testEngines())('a provider error that echoes the API key on %s', (engine) => {
  let h: Harness;
  let fake: FakePolygon;
  beforeAll(async () => {
    fake = await startFakePolygon({
      apiKey: KEY,
      pageSize: 500,
      // A 400 whose body repeats the request, key and all, in the three ways servers do.
      fault: (req) => {
        const echo = `${req.url.pathname}${req.url.search}`;
        const error = req.ticker.includes('ECHOA')
          ? `Invalid request ${echo}`
          : req.ticker.includes('ECHOB')
            ? `Bad parameters: ${JSON.stringify({ apiKey: KEY, from: 1 })}`
            : `The key ${KEY} may not ask for this range`;
        return { status: 400, json: { status: 'ERROR', request_id: 'r1', error } };
      },
    });
    h = await startHarness(engine, { provider: fake.provider(), env: { POLYGON_API_KEY: KEY } });
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it('is stored, evented and listed without the key', async () => {
    const { job_id } = await h.caller.backfill.create({
      symbols: ['ECHOA-USD', 'ECHOB-USD', 'ECHOC-USD'],
      timeframes: ['1h'],
      start_date: '2024-03-04',
      end_date: '2024-03-05',
    });
    const s = await finishedJob(h.test.database.db, job_id, 60_000);
    expect(s.status).toBe('failed');
    expect(fake.requests.length).toBeGreaterThanOrEqual(3);
    const db = h.test.database.db;
    const stored = await queryRows<{ text: string }>(
      db,
      sql`select coalesce(error_message, '') as text from backfill_job_progress
          union all select coalesce(error, '') from backfill_jobs
          union all select message || ' ' || coalesce(data::text, '') from backfill_job_events`,
    );
    const units = await queryRows<{ error_message: string }>(db, sql`select error_message from backfill_job_progress`);
    expect(units.map((u) => u.error_message)).toEqual(units.map(() => expect.stringMatching(/Polygon refused/)));
    const list = await h.caller.symbols.list();
    const everything = [
      ...stored.map((r) => r.text),
      JSON.stringify(list),
      JSON.stringify(await h.caller.backfill.status({ jobId: job_id })),
    ].join('\n');
    expect(everything).not.toContain(KEY);
    expect(everything).toContain('apiKey=***');
  });
});

describe.each(testEngines())('the CSV folder on %s', (engine) => {
  let h: Harness;
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candlebase-private-csv-'));
    h = await startHarness(engine, { env: { MARKET_DATA_PROVIDER: 'csv', CSV_DIR: dir } });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is named by its setting, not its path, in what a reader without the token sees', async () => {
    const { job_id } = await h.caller.backfill.create({
      symbols: ['NOFILE'],
      timeframes: ['1d'],
      start_date: '2024-01-02',
      end_date: '2024-01-05',
    });
    const s = await finishedJob(h.test.database.db, job_id, 30_000);
    expect(s.status).toBe('failed');
    const res = await fetch(`${h.url}/api/v1/backfill/status/${job_id}`);
    const text = JSON.stringify(await res.json()) + JSON.stringify(await h.caller.backfill.status({ jobId: job_id }));
    const events = await queryRows<{ message: string }>(
      h.test.database.db,
      sql`select message from backfill_job_events`,
    );
    const all = text + events.map((e) => e.message).join('\n');
    expect(all).not.toContain(dir);
    expect(all).toContain('No CSV file for NOFILE 1d in CSV_DIR (expected NOFILE_1d.csv)');
  });
});
