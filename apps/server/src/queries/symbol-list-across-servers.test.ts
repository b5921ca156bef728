import { postgresAvailable } from '@candlebase/db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { type Running, start } from '../start';
import { eventually, type Harness, startHarness } from '../testing/harness';

describe.runIf(postgresAvailable())('the symbol list across API servers sharing one database', () => {
  let a: Harness;
  let b: Running;
  beforeAll(async () => {
    a = await startHarness('postgres');
    b = await start(
      loadConfig({
        DATABASE_URL: a.test.url ?? '',
        PORT: '0',
        SEED_DEMO: 'false',
        SCHEDULER_ENABLED: 'false',
        WORKER_ENABLED: 'false',
      }),
      { http: true, log: pino({ level: 'silent' }) },
    );
  });
  afterAll(async () => {
    await b?.stop();
    await a?.close();
  });

  const listedOnB = async () => (await b.app.symbolList.get()).map((s) => s.symbol);

  it('a symbol added or removed through one shows in the other at once, not at its next reread', async () => {
    expect(await listedOnB()).toEqual([]);
    await a.caller.symbols.add({ symbol: 'ACROSS' });
    expect(await eventually(async () => (await listedOnB()).includes('ACROSS'), 3000)).toBe(true);
    await a.caller.symbols.remove({ symbol: 'ACROSS' });
    expect(await eventually(async () => !(await listedOnB()).includes('ACROSS'), 3000)).toBe(true);
  });
});
