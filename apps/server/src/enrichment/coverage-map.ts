import { type CalendarName, calendarFor, countBars } from '@candlebase/calendar';
import {
  COVERAGE_MAP_STATES,
  type CoverageMap,
  type CoverageMapState,
  type coverageMapInputSchema,
  InputError,
  MAX_MAP_COLUMNS,
  type SymbolSummary,
} from '@candlebase/contracts';
import { type Executor, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type CompletedUnit, closedEnd, type Interval, quietSpans } from './classify';
import { analyseCoverage } from './coverage';
import { type Column, columnOf, mapColumns } from './map-columns';

type Input = z.output<typeof coverageMapInputSchema>;

const code = (s: CoverageMapState) => COVERAGE_MAP_STATES.indexOf(s);
const NONE = code('none');
const COMPLETE = code('complete');
const PARTIAL = code('partial');
const MISSING = code('missing');
const QUIET = code('quiet');
const FAILED = code('failed');
const IN_PROGRESS = code('in_progress');

/**
 * Cells whose missing bars may lie partly in and partly out of a quiet span are settled by the
 * bar-level coverage analysis, at most this many per request; past it they show as partial.
 */
export const MAX_EXACT_QUIET_CELLS = 100;

/** The symbol table's filters, over the cached symbol list (search: symbol or name). */
export function filterSymbols(all: readonly SymbolSummary[], input: Input): SymbolSummary[] {
  const q = input.search?.toLowerCase() ?? '';
  return all
    .filter(
      (s) =>
        (!input.status || s.status === input.status) &&
        (!input.asset_class || s.asset_class === input.asset_class) &&
        (!q || s.symbol.toLowerCase().includes(q) || (s.name?.toLowerCase().includes(q) ?? false)),
    )
    .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}

interface UnitRow {
  symbol: string;
  status: string;
  rs: number;
  re: number;
  fetched: number;
  done: number | null;
}

/** Stored bars per symbol and column, summed from the gap index in one statement. */
async function storedPerColumn(db: Executor, symbols: string[], input: Input, columns: Column[]) {
  const trunc = input.bucket === 'day' ? sql`day::timestamp` : sql`date_trunc(${input.bucket}, day::timestamp)`;
  const rows = await queryRows<{ symbol: string; b: unknown; n: unknown }>(
    db,
    sql`select symbol, (extract(epoch from ${trunc}) * 1000)::float8 as b, sum(bars)::float8 as n
        from candle_days
        where timeframe = ${input.timeframe} and symbol = any(${sql.param(symbols)}::text[])
          and day >= ${input.from}::date and day <= ${input.to}::date
        group by 1, 2`,
  );
  const out = new Map<string, Float64Array>();
  for (const r of rows) {
    let cells = out.get(r.symbol);
    if (!cells) {
      cells = new Float64Array(columns.length);
      out.set(r.symbol, cells);
    }
    // A month or week that began before `from` is the first column.
    const i = columnOf(columns, Number(r.b));
    cells[i] = (cells[i] as number) + Number(r.n);
  }
  return out;
}

async function unitsOverlapping(db: Executor, symbols: string[], input: Input, lo: number, hi: number) {
  const rows = await queryRows<UnitRow>(
    db,
    sql`select symbol, status, (extract(epoch from range_start) * 1000)::float8 as rs,
               (extract(epoch from range_end) * 1000)::float8 as re, records_fetched::float8 as fetched,
               (extract(epoch from completed_at) * 1000)::float8 as done
        from backfill_job_progress
        where timeframe = ${input.timeframe} and symbol = any(${sql.param(symbols)}::text[])
          and status in ('pending', 'running', 'failed', 'completed')
          and range_start < ${new Date(hi).toISOString()}::timestamptz
          and range_end > ${new Date(lo).toISOString()}::timestamptz`,
  );
  const bySymbol = new Map<string, UnitRow[]>();
  for (const r of rows) {
    const list = bySymbol.get(r.symbol) ?? [];
    list.push({
      ...r,
      rs: Number(r.rs),
      re: Number(r.re),
      fetched: Number(r.fetched),
      done: r.done == null ? null : Number(r.done),
    });
    bySymbol.set(r.symbol, list);
  }
  return bySymbol;
}

/** Expected closed bars per column, once per calendar (not per symbol). */
function expectedFor(cal: CalendarName, input: Input, columns: Column[], now: number): Int32Array {
  const horizon = closedEnd(cal, input.timeframe, now);
  return Int32Array.from(columns, (c) => {
    const hi = Math.min(c.hi, horizon);
    return hi > c.lo ? countBars(cal, input.timeframe, c.lo, hi) : 0;
  });
}

function quietBarsIn(cal: CalendarName, input: Input, spans: readonly Interval[], lo: number, hi: number): number {
  let n = 0;
  for (const s of spans) {
    const a = Math.max(s.from, lo);
    const b = Math.min(s.to, hi);
    if (b > a) n += countBars(cal, input.timeframe, a, b);
  }
  return n;
}

/**
 * The coverage map: per symbol and column, stored bars (the gap index summed), expected bars (the
 * calendar, closed bars only) and a state. Precedence: none (nothing expected), in progress,
 * complete, failed, quiet, missing (nothing stored), partial.
 */
export async function coverageMap(
  db: Executor,
  symbols: readonly SymbolSummary[],
  input: Input,
  now: number,
): Promise<CoverageMap> {
  const columns = mapColumns(input.bucket, input.from, input.to);
  if (columns.length > MAX_MAP_COLUMNS) {
    throw new InputError(
      `At most ${MAX_MAP_COLUMNS} columns: choose a coarser bucket or a shorter range (this asks for ${columns.length})`,
      'bucket',
    );
  }
  const matching = filterSymbols(symbols, input);
  const page = matching.slice(input.offset, input.offset + input.limit);
  const names = page.map((s) => s.symbol);
  const lo = (columns[0] as Column).lo;
  const hi = (columns[columns.length - 1] as Column).hi;
  const [stored, units] = names.length
    ? await Promise.all([storedPerColumn(db, names, input, columns), unitsOverlapping(db, names, input, lo, hi)])
    : [new Map<string, Float64Array>(), new Map<string, UnitRow[]>()];

  const expectedByCal = new Map<CalendarName, Int32Array>();
  let exactLeft = MAX_EXACT_QUIET_CELLS;
  const rows = [];
  for (const s of page) {
    const cal = calendarFor(s.asset_class, s.session);
    let expected = expectedByCal.get(cal);
    if (!expected) {
      expected = expectedFor(cal, input, columns, now);
      expectedByCal.set(cal, expected);
    }
    const have = stored.get(s.symbol);
    const flags = new Uint8Array(columns.length);
    const completed: CompletedUnit[] = [];
    for (const u of units.get(s.symbol) ?? []) {
      if (u.status === 'completed') {
        completed.push({ rangeStart: u.rs, rangeEnd: u.re, recordsFetched: u.fetched, completedAt: u.done ?? u.re });
        continue;
      }
      const flag = u.status === 'failed' ? 1 : 2;
      for (let i = columnOf(columns, u.rs); i < columns.length && (columns[i] as Column).lo < u.re; i++) {
        if ((columns[i] as Column).hi > u.rs) flags[i] = (flags[i] as number) | flag;
      }
    }
    const quiet = completed.length ? quietSpans(cal, input.timeframe, completed) : [];
    const cells = new Array<number>(columns.length * 3);
    for (let i = 0; i < columns.length; i++) {
      const e = expected[i] as number;
      const n = have ? (have[i] as number) : 0;
      const f = flags[i] as number;
      let state: number;
      if (e === 0) state = NONE;
      else if (f & 2) state = IN_PROGRESS;
      else if (n >= e) state = COMPLETE;
      else if (f & 1) state = FAILED;
      else {
        state = n === 0 ? MISSING : PARTIAL;
        if (quiet.length) {
          const c = columns[i] as Column;
          const horizon = Math.min(c.hi, closedEnd(cal, input.timeframe, now));
          const inQuiet = quietBarsIn(cal, input, quiet, c.lo, horizon);
          // All expected bars lie in quiet spans: so do the missing ones. Fewer quiet bars than
          // missing ones: some are gaps. In between only the bars themselves can tell.
          if (inQuiet >= e) state = QUIET;
          else if (inQuiet >= e - n && exactLeft > 0) {
            exactLeft--;
            const exact = await analyseCoverage(db, {
              symbol: s.symbol,
              timeframe: input.timeframe,
              from: new Date(c.lo).toISOString(),
              to: new Date(c.hi).toISOString(),
              now,
            });
            if (exact.coverage.gaps.bars === 0 && exact.coverage.quiet.bars > 0) state = QUIET;
          }
        }
      }
      cells[i * 3] = n;
      cells[i * 3 + 1] = e;
      cells[i * 3 + 2] = state;
    }
    rows.push({ symbol: s.symbol, asset_class: s.asset_class, status: s.status, cells });
  }
  return {
    timeframe: input.timeframe,
    bucket: input.bucket,
    columns: columns.map((c) => ({ start: new Date(c.lo).toISOString(), end: new Date(c.hi).toISOString() })),
    total: matching.length,
    offset: input.offset,
    rows,
  };
}
