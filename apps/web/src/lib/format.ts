const intFormat = new Intl.NumberFormat('en-US');

export function formatInt(n: number): string {
  return intFormat.format(n);
}

/** Prices keep the precision that matters for their size. */
export function formatPrice(n: number): string {
  const abs = Math.abs(n);
  const digits = abs >= 1000 ? 2 : abs >= 1 ? 2 : abs >= 0.01 ? 4 : 6;
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A coarse age: "just now", "5 min", "3 h", "2 days". */
export function formatAge(iso: string | null, now: number = Date.now()): string {
  if (!iso) return '—';
  const ms = Math.max(0, now - Date.parse(iso));
  if (ms < MINUTE) return 'just now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h`;
  const days = Math.floor(ms / DAY);
  return days === 1 ? '1 day' : `${days} days`;
}

/** How long ago, as a phrase: "just now", "5 min ago", "3 days ago". */
export function formatAgo(iso: string | null, now: number = Date.now()): string {
  const age = formatAge(iso, now);
  return age === 'just now' || age === '—' ? age : `${age} ago`;
}

/** Seconds as "0.4 s", "42 s", "3 m 05 s", "1 h 02 m". */
export function formatDuration(seconds: number): string {
  if (seconds < 10) return `${Math.max(0, seconds).toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} m`;
}

// hourCycle h23, not hour12: false: in en-US that is h24, and five past midnight reads "24:05".
const dateTimes = new Map<string, Intl.DateTimeFormat>();
const timeOnly = new Intl.DateTimeFormat('en-US', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "Mar 04, 2026, 14:30" in an IANA zone. */
export function formatDateTime(iso: string, timeZone: string): string {
  let format = dateTimes.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      year: 'numeric',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    });
    dateTimes.set(timeZone, format);
  }
  return format.format(new Date(iso));
}

/** A UTC timestamp, as markets quote them: "Mar 04, 2026, 14:30 UTC". */
export function formatUtc(iso: string | null): string {
  if (!iso) return '—';
  return `${formatDateTime(iso, 'UTC')} UTC`;
}

/** Local wall-clock time, for "last refresh". */
export function formatClock(ms: number): string {
  return timeOnly.format(new Date(ms));
}

export function pluralize(n: number, one: string, many = `${one}s`): string {
  return `${formatInt(n)} ${n === 1 ? one : many}`;
}

/**
 * A date range as short as it can be without losing the year: "2024-01-02 → 01-31" within one
 * year, both dates in full across years ("2024-12-01 → 2026-12-01"), one date for one day.
 */
export function formatDateRange(start: string, end: string): string {
  if (start === end) return start;
  return start.slice(0, 4) === end.slice(0, 4) ? `${start} → ${end.slice(5)}` : `${start} → ${end}`;
}
