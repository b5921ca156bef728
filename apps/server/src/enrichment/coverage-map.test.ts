import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COVERAGE_MAP_STATES, type CoverageMap } from '@candlebase/contracts';
import { testEngines } from '@candlebase/db/testing';
import { createCsvProvider } from '@candlebase/providers';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedJob } from '../testing/backfill-checks';
import { type Harness, startHarness } from '../testing/harness';
import { analyseCoverage } from './coverage';
import { recomputeCoverage } from './series';

const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
// The app's clock: noon on March 6th, so that day's afternoon bars are not expected yet.
const NOW = Date.parse('2024-03-06T12:00:00Z');

/** An hourly CSV of whole days, leaving out the given hours (no trades). */
function csv(days: string[], skip: (ms: number) => boolean = () => false): string {
  const rows: string[] = [];
  for (const d of days) {
    for (let i = 0; i < 24; i++) {
      const t = day(d) + i * H;
      if (!skip(t)) rows.push(`${iso(t)},100,101,99,100.5,10`);
    }
  }
  return ['timestamp,open,high,low,close,volume', ...rows].join('\n');
}

const stateOf = (map: CoverageMap, symbol: string, col: number) => {
  const cells = map.rows.find((r) => r.symbol === symbol)?.cells ?? [];
  return {
    stored: cells[col * 3],
    expected: cells[col * 3 + 1],
    state: COVERAGE_MAP_STATES[cells[col * 3 + 2] ?? -1],
  };
};

describe.each(testEngines())('coverage map on %s', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'candlebase-map-'));
  let h: Harness;
  const quietHours = (t: number) => [5, 6, 12].includes(new Date(t).getUTCHours()) && t >= day('2024-03-04');
  beforeAll(async () => {
    const march = ['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04', '2024-03-05', '2024-03-06'];
    writeFileSync(join(dir, 'MAPA-USD_1h.csv'), csv(march));
    // Hours with no trades on the 4th and later: asked of the provider, they are quiet.
    writeFileSync(join(dir, 'MAPQ-USD_1h.csv'), csv(march, quietHours));
    writeFileSync(join(dir, 'MAPB-USD_1h.csv'), csv(march, quietHours));
    // MAPF-USD has no file: its unit fails.
    h = await startHarness(engine, { provider: createCsvProvider({ dir }), clock: () => NOW });
    const run = async (symbol: string, start: string, end: string) => {
      const job = await h.caller.backfill.create({
        symbols: [symbol],
        timeframes: ['1h'],
        start_date: start,
        end_date: end,
      });
      return (await finishedJob(h.test.database.db, job.job_id, 60_000)).status;
    };
    expect(await run('MAPA-USD', '2024-03-01', '2024-03-06')).toBe('completed');
    expect(await run('MAPQ-USD', '2024-03-04', '2024-03-05')).toBe('completed');
    // Two jobs: the first gets every bar and so vouches for nothing; the second meets quiet hours.
    expect(await run('MAPB-USD', '2024-03-02', '2024-03-03')).toBe('completed');
    expect(await run('MAPB-USD', '2024-03-04', '2024-03-05')).toBe('completed');
    expect(await run('MAPF-USD', '2024-03-02', '2024-03-03')).toBe('failed');
    // Holes behind the writer's back: four hours on the 2nd of MAPA, and one bar of MAPB on the
    // 4th, a day the provider also had no trades in three hours.
    const db = h.running.app.database.db;
    await db.execute(sql`delete from candles where timeframe = '1h' and (
      (symbol = 'MAPA-USD' and ts >= '2024-03-02T10:00:00Z' and ts < '2024-03-02T14:00:00Z')
      or (symbol = 'MAPB-USD' and ts = '2024-03-02T08:00:00Z'))`);
    await recomputeCoverage(db, { symbol: 'MAPA-USD', timeframe: '1h' });
    await recomputeCoverage(db, { symbol: 'MAPB-USD', timeframe: '1h' });
    h.running.app.symbolFeed.invalidate();
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('each day cell agrees with enrichment.coverage over the same span', async () => {
    const map = await h.caller.enrichment.coverageMap({
      timeframe: '1h',
      from: '2024-03-01',
      to: '2024-03-05',
      bucket: 'day',
      search: 'map',
    });
    expect(map.rows.map((r) => r.symbol)).toEqual(['MAPA-USD', 'MAPB-USD', 'MAPF-USD', 'MAPQ-USD']);
    expect(map.columns).toHaveLength(5);
    const seen = new Set<string>();
    for (const row of map.rows) {
      for (const [i, col] of map.columns.entries()) {
        const cell = stateOf(map, row.symbol, i);
        const c = await h.caller.enrichment.coverage({
          symbol: row.symbol,
          timeframe: '1h',
          from: col.start,
          to: col.end,
        });
        const label = `${row.symbol} ${col.start}`;
        expect(cell.expected, label).toBe(c.window.expected);
        expect(cell.stored, label).toBe(c.window.count);
        expect((cell.expected ?? 0) - (cell.stored ?? 0), label).toBe(c.window.missing_bars);
        const fromCoverage =
          c.window.missing_bars === 0
            ? 'complete'
            : c.gaps.bars === 0
              ? 'quiet'
              : c.window.count === 0
                ? 'missing'
                : 'partial';
        // Coverage knows nothing of failures: a failed unit turns the missing cells it overlaps failed.
        const failed = row.symbol === 'MAPF-USD' && ['2024-03-02', '2024-03-03'].includes(col.start.slice(0, 10));
        expect(cell.state, label).toBe(failed ? 'failed' : fromCoverage);
        seen.add(cell.state ?? '');
      }
    }
    expect([...seen].sort()).toEqual(['complete', 'failed', 'missing', 'partial', 'quiet']);
    expect(stateOf(map, 'MAPA-USD', 1)).toEqual({ stored: 20, expected: 24, state: 'partial' });
    expect(stateOf(map, 'MAPQ-USD', 3)).toEqual({ stored: 21, expected: 24, state: 'quiet' });
  });

  it('a span holding quiet hours and a real gap is partial; the same without the gap is quiet', async () => {
    // One column, Mar 2 to 5: MAPB lacks a deleted bar (a gap) and six quiet hours; MAPQ, asked
    // about the 4th and 5th only, is missing two whole days never asked for.
    const map = await h.caller.enrichment.coverageMap({
      timeframe: '1h',
      from: '2024-03-02',
      to: '2024-03-05',
      bucket: 'month',
      search: 'MAP',
    });
    expect(map.columns).toEqual([{ start: '2024-03-02T00:00:00.000Z', end: '2024-03-06T00:00:00.000Z' }]);
    expect(stateOf(map, 'MAPB-USD', 0)).toEqual({ stored: 96 - 7, expected: 96, state: 'partial' });
    expect(stateOf(map, 'MAPQ-USD', 0)).toEqual({ stored: 42, expected: 96, state: 'partial' });
    const whole = await h.caller.enrichment.coverage({
      symbol: 'MAPB-USD',
      timeframe: '1h',
      from: '2024-03-02T00:00:00Z',
      to: '2024-03-06T00:00:00Z',
    });
    expect(whole).toMatchObject({ gaps: { bars: 1 }, quiet: { bars: 6 } });
    // Without the deleted bar the quiet hours are all that is missing: settled bar by bar, quiet.
    const later = await h.caller.enrichment.coverageMap({
      timeframe: '1h',
      from: '2024-03-03',
      to: '2024-03-05',
      bucket: 'month',
      search: 'MAPB',
    });
    expect(stateOf(later, 'MAPB-USD', 0)).toEqual({ stored: 66, expected: 72, state: 'quiet' });
    const late = await h.caller.enrichment.coverageMap({
      timeframe: '1h',
      from: '2024-03-04',
      to: '2024-03-05',
      bucket: 'week',
      search: 'MAPQ',
    });
    expect(late.rows.map((r) => r.symbol)).toEqual(['MAPQ-USD']);
    expect(stateOf(late, 'MAPQ-USD', 0)).toEqual({ stored: 42, expected: 48, state: 'quiet' });
  });

  it('bars not closed by the app clock are not expected; filters and paging are those of the symbol table', async () => {
    const map = await h.caller.enrichment.coverageMap({
      timeframe: '1h',
      from: '2024-03-06',
      to: '2024-03-07',
      bucket: 'day',
      search: 'mapa',
    });
    const exact = await analyseCoverage(h.running.app.database.db, {
      symbol: 'MAPA-USD',
      timeframe: '1h',
      from: '2024-03-06T00:00:00Z',
      to: '2024-03-07T00:00:00Z',
      now: NOW,
    });
    expect(exact.coverage.window).toMatchObject({ expected: 12, count: 12 });
    expect(stateOf(map, 'MAPA-USD', 0)).toEqual({ stored: 12, expected: 12, state: 'complete' });
    expect(stateOf(map, 'MAPA-USD', 1)).toEqual({ stored: 0, expected: 0, state: 'none' });

    const errors = await h.caller.enrichment.coverageMap({
      timeframe: '1h',
      from: '2024-03-01',
      to: '2024-03-01',
      status: 'error',
      asset_class: 'crypto',
    });
    expect(errors.rows.map((r) => r.symbol)).toEqual(['MAPF-USD']);
    const paged = await h.caller.enrichment.coverageMap({
      timeframe: '1h',
      from: '2024-03-01',
      to: '2024-03-01',
      search: 'map',
      offset: 1,
      limit: 2,
    });
    expect(paged).toMatchObject({ total: 4, offset: 1 });
    expect(paged.rows.map((r) => r.symbol)).toEqual(['MAPB-USD', 'MAPF-USD']);
    const none = await h.caller.enrichment.coverageMap({
      timeframe: '1h',
      from: '2024-03-01',
      to: '2024-03-01',
      asset_class: 'fx',
    });
    expect(none).toMatchObject({ total: 0, rows: [] });
  });

  it('refuses a reversed range or too many columns in words', async () => {
    await expect(
      h.caller.enrichment.coverageMap({ timeframe: '1h', from: '2024-03-05', to: '2024-03-01' }),
    ).rejects.toThrow(/From must not be after To/);
    await expect(
      h.caller.enrichment.coverageMap({ timeframe: '1h', from: '2020-01-01', to: '2024-03-01', bucket: 'day' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/At most 800 columns/) });
  });
});
