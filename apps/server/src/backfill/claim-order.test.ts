import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { ClaimTurns, claimUnit } from './claim';
import { createBackfill } from './service';

const DAYS = { start_date: '2024-03-04', end_date: '2024-03-08', refetch: false };

describe('claim turns', () => {
  it('every k-th claim prefers history, counting only claims that took a unit', () => {
    const turns = new ClaimTurns(3);
    const seen: string[] = [];
    for (let i = 0; i < 7; i++) {
      seen.push(turns.next());
      turns.claimed();
    }
    expect(seen).toEqual(['refresh', 'refresh', 'history', 'refresh', 'refresh', 'history', 'refresh']);
    // Nothing claimed: the turn stays.
    expect([turns.next(), turns.next()]).toEqual(['refresh', 'refresh']);
    turns.claimed();
    expect(turns.next()).toBe('history');
  });
});

describe.each(testEngines())('claim order on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine, { env: { WORKER_ENABLED: 'false' } });
  });
  afterAll(async () => h?.close());

  it('refreshes before older history, history on its turn, oldest first within each, and the other class when one runs dry', async () => {
    const { database } = h.running.app;
    const create = (symbols: string[], origin: 'manual' | 'scheduled') =>
      createBackfill(database, { ...DAYS, symbols, timeframes: ['1h'] }, { provider: 'synthetic', origin });
    await create(['H1', 'H2', 'H3'], 'manual');
    await create(['R1', 'R2', 'R3', 'R4', 'R5'], 'scheduled');
    // A later history job queues behind the first.
    await create(['H4'], 'manual');

    const turns = new ClaimTurns(3);
    const order: string[] = [];
    for (;;) {
      const unit = await claimUnit(database.db, 'w', 30, null, turns.next());
      if (!unit) break;
      turns.claimed();
      order.push(unit.symbol);
    }
    expect(order).toEqual(['R1', 'R2', 'H1', 'R3', 'R4', 'H2', 'R5', 'H3', 'H4']);
  });

  it('a unit keeps the priority of its job: scheduled refreshes 0, everything else 1', async () => {
    const rows = await queryRows<{ symbol: string; priority: number }>(
      h.running.app.database.db,
      sql`select symbol, priority from backfill_job_progress order by id`,
    );
    expect(rows.map((r) => `${r.symbol}:${r.priority}`)).toEqual([
      'H1:1',
      'H2:1',
      'H3:1',
      'R1:0',
      'R2:0',
      'R3:0',
      'R4:0',
      'R5:0',
      'H4:1',
    ]);
  });
});
