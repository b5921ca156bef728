import type { BackfillJob, BackfillUnit, UnitStatus } from '@candlebase/contracts';
import { formatInt } from '../../lib/format';

/** What the dialog needs of each unit: where it stands and what it stored. */
export interface UnitState {
  symbol: string;
  status: UnitStatus;
  records: number;
  /** When it last changed (ms), so a replayed older event cannot move it back. */
  since: number | null;
  /** Bars the calendar expects in its range (null from a server that does not say), and those passed. */
  barsExpected: number | null;
  barsDone: number;
}

export interface UnitTally {
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
  running: number;
  pending: number;
  /** Symbols every unit of which completed: a cancelled symbol is not "done". */
  symbolsCompleted: number;
  symbolsTotal: number;
  /** Summed over the units; null when a unit's expected bars are unknown. */
  barsExpected: number | null;
  barsDone: number;
}

export function unitKey(symbol: string, timeframe: string): string {
  return `${symbol}\u0000${timeframe}`;
}

export function unitsFromSnapshot(units: BackfillUnit[]): Map<string, UnitState> {
  return new Map(
    units.map((u): [string, UnitState] => {
      const at = u.completed_at ?? u.started_at;
      const since = at ? Date.parse(at) : null;
      return [
        unitKey(u.symbol, u.timeframe),
        {
          symbol: u.symbol,
          status: u.status,
          records: u.records_inserted,
          since,
          barsExpected: u.bars_expected ?? null,
          barsDone: u.bars_done ?? 0,
        },
      ];
    }),
  );
}

const RANK: Record<UnitStatus, number> = { pending: 0, running: 1, completed: 2, failed: 2, cancelled: 2 };

/**
 * Whether an event at `at` moving a unit to `to` is news. A first connection replays the job's
 * whole history after a snapshot of its present: an old "started" must not undo a later
 * "completed". Moving back (a retry re-queues) needs a strictly newer event; moving on, one no
 * older than the unit's last change (timestamps can tie).
 */
export function isNews(unit: UnitState | undefined, to: UnitStatus, at: number): boolean {
  if (!unit || unit.since === null) return true;
  return RANK[to] < RANK[unit.status] ? at > unit.since : at >= unit.since;
}

export function tallyUnits(units: ReadonlyMap<string, UnitState>, job: BackfillJob): UnitTally {
  const t: UnitTally = {
    total: units.size,
    completed: 0,
    failed: 0,
    cancelled: 0,
    running: 0,
    pending: 0,
    symbolsCompleted: 0,
    symbolsTotal: job.symbols_total,
    barsExpected: 0,
    barsDone: 0,
  };
  const unfinishedSymbols = new Set<string>();
  const seen = new Set<string>();
  for (const u of units.values()) {
    t[u.status] += 1;
    t.barsExpected = t.barsExpected === null || u.barsExpected === null ? null : t.barsExpected + u.barsExpected;
    t.barsDone += u.barsExpected === null ? u.barsDone : Math.min(u.barsDone, u.barsExpected);
    seen.add(u.symbol);
    if (u.status !== 'completed') unfinishedSymbols.add(u.symbol);
  }
  t.symbolsCompleted = [...seen].filter((s) => !unfinishedSymbols.has(s)).length;
  return t;
}

/** Finished units over all units, the share the API's progress_pct reports too. */
export function finishedShare(t: UnitTally): number {
  return t.total === 0 ? 0 : (t.completed + t.failed + t.cancelled) / t.total;
}

/**
 * Seconds left at the rate the job has gone so far, in bars where the server counts them (a
 * long unit moves on long before it ends), else in units; null before there is a rate, or once
 * nothing remains. `quotaFloor`, what the providers' quotas still need (the server's estimate,
 * aged since it came), is the least it can be.
 */
export function etaSeconds(
  t: UnitTally,
  elapsedSeconds: number | null,
  quotaFloor: number | null = null,
): number | null {
  const finished = t.completed + t.failed + t.cancelled;
  const left = t.total - finished;
  if (left <= 0) return null;
  let rate: number | null = null;
  if (elapsedSeconds !== null && elapsedSeconds > 0) {
    if (t.barsExpected !== null && t.barsExpected > 0 && t.barsDone > 0) {
      rate = (elapsedSeconds / t.barsDone) * Math.max(0, t.barsExpected - t.barsDone);
    } else if (finished > 0) {
      rate = (elapsedSeconds / finished) * left;
    }
  }
  const floor = quotaFloor !== null && quotaFloor > 0 ? quotaFloor : null;
  if (rate === null) return floor;
  return floor === null ? rate : Math.max(rate, floor);
}

/** "31,200 of 40,000 bars (78%)", or null when the server does not count bars. */
export function barsLine(t: UnitTally): string | null {
  if (t.barsExpected === null) return null;
  const pct = t.barsExpected === 0 ? 100 : Math.floor((100 * t.barsDone) / t.barsExpected);
  return `${formatInt(t.barsDone)} of ${formatInt(t.barsExpected)} bars (${pct}%)`;
}

const units = (n: number) => (n === 1 ? '1 unit' : `${formatInt(n)} units`);

/** "40 of 48 units completed, 8 cancelled": what was done and what was not, never only a total. */
export function unitsLine(t: UnitTally): string {
  const parts = [`${formatInt(t.completed)} of ${units(t.total)} completed`];
  if (t.failed > 0) parts.push(`${formatInt(t.failed)} failed`);
  if (t.cancelled > 0) parts.push(`${formatInt(t.cancelled)} cancelled`);
  return parts.join(', ');
}
