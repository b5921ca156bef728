import { postgresAvailable } from '@candlebase/db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { type Running, start } from '../start';
import { eventually, type Harness, startHarness } from '../testing/harness';
import { clientOf, follow } from '../testing/symbol-feed-client';

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

  const listedOnB = async () => (await b.app.symbolFeed.current()).rows.map((s) => s.symbol);

  it('a symbol added or removed through one reaches the subscribers of the other at once, not at its next reread', async () => {
    expect(await listedOnB()).toEqual([]);
    const onB = clientOf(b.url ?? '');
    const live = follow(onB, (await onB.symbols.snapshot.query()).seq);
    try {
      await a.caller.symbols.add({ symbol: 'ACROSS' });
      await eventually(async () => live.got.length >= 1, 3000, 'the added symbol on B');
      const added = live.got[0]?.data;
      expect(added?.type === 'changed' && added.symbols.map((s) => s.symbol)).toEqual(['ACROSS']);
      expect(await listedOnB()).toEqual(['ACROSS']);
      await a.caller.symbols.remove({ symbol: 'ACROSS' });
      await eventually(async () => live.got.length >= 2, 3000, 'the removal on B');
      expect(live.got[1]?.data).toEqual({ type: 'changed', symbols: [], removed: ['ACROSS'] });
      expect(await listedOnB()).toEqual([]);
    } finally {
      live.stop();
    }
  });
});
