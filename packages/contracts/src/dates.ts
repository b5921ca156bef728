const DAY_MS = 86_400_000;

/** YYYY-MM-DD of a UTC instant. */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The default backfill range: the last 30 days, ending today (UTC, inclusive). */
export function defaultDateRange(now: Date = new Date()): { start_date: string; end_date: string } {
  return { start_date: isoDate(new Date(now.getTime() - 30 * DAY_MS)), end_date: isoDate(now) };
}

export function isValidIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && isoDate(d) === s;
}

/** Whole days from start to end, both inclusive. */
export function daysInclusive(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY_MS) + 1;
}
