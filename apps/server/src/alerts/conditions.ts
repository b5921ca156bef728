import type { Checks, Timeframe } from '@candlebase/contracts';
import type { Db, Executor } from '@candlebase/db';
import { expectedLastBars, listSymbols, statusOf } from '../queries/symbols';
import { type NewAlert, raiseAlert, raiseAlerts, resolveAlertsExcept } from './store';

/**
 * Raises an alert for each series (symbol and timeframe) of an active symbol that has been stale
 * for at least `staleAfterMs` at `now`, and resolves those that are fresh again (or gone). The
 * key is the series: one open alert however often this runs. Returns the keys open now.
 */
export async function evaluateStaleSeries(db: Db, now: number, staleAfterMs: number): Promise<string[]> {
  // Stale "for staleAfterMs" = already stale by the standard of that long ago.
  const asOf = now - staleAfterMs;
  const expectedLast = expectedLastBars(asOf);
  const symbols = await listSymbols(db, { now: asOf });
  const stale: Omit<NewAlert, 'kind'>[] = [];
  for (const s of symbols) {
    if (!s.active) continue;
    for (const c of s.coverage) {
      if (statusOf(s.asset_class, [c], asOf, expectedLast, s.session) !== 'stale') continue;
      const expected = expectedLast(s.asset_class, c.timeframe as Timeframe, s.session);
      stale.push({
        key: `series_stale:${s.symbol}:${c.timeframe}`,
        subject: `${s.symbol} ${c.timeframe}`,
        message: `${s.symbol} ${c.timeframe} is stale: its newest bar is ${c.last}, and bars through ${expected?.iso ?? 'now'} should exist`,
        data: { symbol: s.symbol, timeframe: c.timeframe, last_bar: c.last, expected_through: expected?.iso ?? null },
      });
    }
  }
  const open = stale.map((a) => a.key);
  await raiseAlerts(db, 'series_stale', stale, now);
  await resolveAlertsExcept(db, 'series_stale', open, now);
  return open;
}

/** An alert per failed check (one open per check), resolved when the check passes again. */
export async function recordCheckResults(exec: Executor, checks: Checks, now: number): Promise<void> {
  const failed = checks.checks.filter((c) => !c.ok);
  for (const c of failed) {
    await raiseAlert(exec, {
      kind: 'check_failed',
      key: `check_failed:${c.name}`,
      subject: c.name,
      message: `Check "${c.name}" failed: ${c.details}`,
      data: { check: c.name, details: c.details, ran_at: checks.ran_at },
      at: now,
    });
  }
  await resolveAlertsExcept(
    exec,
    'check_failed',
    failed.map((c) => `check_failed:${c.name}`),
    now,
  );
}
