/**
 * The specs' clock. Normally the machine's; the clock guard (scripts/clock-guard.ts) runs the
 * time-sensitive specs again with E2E_CLOCK_OFFSET_S set, which shifts the server (through
 * libfaketime), the browser (Playwright's clock, see fixtures.ts) and this by the same amount.
 */
const offset = Number(process.env.E2E_CLOCK_OFFSET_S ?? 0);
if (!Number.isFinite(offset)) throw new Error(`E2E_CLOCK_OFFSET_S must be a number of seconds (got "${offset}")`);

export const clockOffsetMs = Math.round(offset) * 1000;

/** Epoch milliseconds on the specs' clock. */
export function now(): number {
  return Date.now() + clockOffsetMs;
}

/** YYYY-MM-DD, `days` before today (UTC) on the specs' clock. */
export function isoDaysAgo(days: number): string {
  return new Date(now() - days * 86_400_000).toISOString().slice(0, 10);
}
