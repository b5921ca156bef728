import {
  type AssetClass,
  type BackfillCreated,
  type BackfillRequest,
  isIntraday,
  isoDate,
  TIMEFRAME_LIST,
  type Timeframe,
} from '@candlebase/contracts';
import { type Database, type Executor, queryRows } from '@candlebase/db';
import { iso } from '@candlebase/db/rows';
import { sql } from 'drizzle-orm';
import { createBackfill } from '../backfill/service';
import { planRefresh, type Reread } from './plan';

/** Shared by every Candlebase process, like the migration lock's key. */
export const SCHEDULER_LOCK_KEY = 727_274_002;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface RefreshTiming {
  intradayMinutes: number;
  dailyHourUtc: number;
}

/** The periodic tasks: which timeframes each refreshes, and the slot a moment falls in. */
export const TASKS = [
  {
    name: 'refresh-intraday',
    timeframes: TIMEFRAME_LIST.filter((tf) => isIntraday(tf)),
    slot: (now: number, t: RefreshTiming) =>
      Math.floor(now / (t.intradayMinutes * 60_000)) * t.intradayMinutes * 60_000,
    next: (now: number, t: RefreshTiming) =>
      (Math.floor(now / (t.intradayMinutes * 60_000)) + 1) * t.intradayMinutes * 60_000,
  },
  {
    name: 'refresh-daily',
    timeframes: TIMEFRAME_LIST.filter((tf) => !isIntraday(tf)),
    slot: (now: number, t: RefreshTiming) => {
      const today = Math.floor(now / DAY_MS) * DAY_MS + t.dailyHourUtc * HOUR_MS;
      return today <= now ? today : today - DAY_MS;
    },
    next: (now: number, t: RefreshTiming) => {
      const today = Math.floor(now / DAY_MS) * DAY_MS + t.dailyHourUtc * HOUR_MS;
      return today > now ? today : today + DAY_MS;
    },
  },
] as const;

/**
 * Compare-and-set on the task's row: true for exactly one caller per slot, whichever process it
 * is and however far apart their ticks fall, because the row only moves forward.
 */
export async function claimSlot(db: Executor, name: string, slotStart: number, runner: string): Promise<boolean> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`insert into scheduler_runs (name, slot_start, ran_at, ran_by)
        values (${name}, ${new Date(slotStart).toISOString()}::timestamptz, now(), ${runner})
        on conflict (name) do update set slot_start = excluded.slot_start, ran_at = excluded.ran_at, ran_by = excluded.ran_by
        where scheduler_runs.slot_start < excluded.slot_start
        returning name`,
  );
  return rows.length > 0;
}

/** When any process last ran a refresh. */
export async function lastRunAt(db: Executor): Promise<Date | null> {
  const rows = await queryRows<{ at: unknown }>(db, sql`select max(ran_at) as at from scheduler_runs`);
  const at = iso(rows[0]?.at);
  return at === null ? null : new Date(at);
}

export interface TickResult {
  /** False when another process held the scheduler lock: it is ticking right now. */
  locked: boolean;
  /** The tasks whose slot this tick claimed. */
  ran: string[];
  job: BackfillCreated | null;
  units: number;
}

/**
 * One tick: under a non-blocking advisory lock (a concurrent tick elsewhere makes this one a
 * no-op), claim the due slots, then enqueue one job whose units bring each due series up to date.
 */
export async function refreshTick(
  database: Database,
  opts: {
    rule: (assetClass: AssetClass) => string;
    timing: RefreshTiming;
    runner: string;
    now: number;
    reread?: Reread;
  },
): Promise<TickResult> {
  const attempt = await database.tryWithAdvisoryLock(SCHEDULER_LOCK_KEY, async () => {
    const ran: string[] = [];
    const timeframes: Timeframe[] = [];
    for (const task of TASKS) {
      if (await claimSlot(database.db, task.name, task.slot(opts.now, opts.timing), opts.runner)) {
        ran.push(task.name);
        timeframes.push(...task.timeframes);
      }
    }
    const units = await planRefresh(database.db, timeframes, opts.now, opts.reread);
    if (units.length === 0) return { locked: false, ran, job: null, units: 0 };
    const symbols = [...new Set(units.map((u) => u.symbol))];
    const req: BackfillRequest = {
      symbols,
      timeframes: TIMEFRAME_LIST.filter((tf) => units.some((u) => u.timeframe === tf)),
      start_date: isoDate(new Date(Math.min(...units.map((u) => u.from)))),
      end_date: isoDate(new Date(Math.max(...units.map((u) => u.to)) - 1)),
      // The ranges are exactly what to read (new bars and the trailing re-read): skipping what is
      // stored would skip the re-read.
      refetch: true,
    };
    // Each series refreshes from its symbol's own provider.
    const job = await createBackfill(database, req, {
      rule: opts.rule,
      origin: 'scheduled',
      ranges: units.map((u) => ({
        symbol: u.symbol,
        timeframe: u.timeframe,
        from: new Date(u.from),
        to: new Date(u.to),
      })),
    });
    return { locked: false, ran, job, units: units.length };
  });
  return attempt.acquired ? attempt.value : { locked: true, ran: [], job: null, units: 0 };
}
