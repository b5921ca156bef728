import { DAY_MS, dayFromCivil, yearOfDay } from './days';

/**
 * UTC offsets from the platform's tz database (Intl), so DST rule changes (the US moved its
 * switch dates in 2007) come right without a dependency. Intl is slow, so each zone-year is
 * probed with a handful of calls: the two DST switches are found by binary search, which
 * assumes at most one switch per half year (true of every zone an exchange calendar uses).
 */
interface YearOffsets {
  january: number;
  july: number;
  /** First day on the July offset and first day back on the January one; equal when the zone has no DST. */
  julyFrom: number;
  julyUntil: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const years = new Map<string, YearOffsets>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset in minutes (local minus UTC) at 12:00 UTC of the day: after any 02:00 local switch in the Americas. */
function probe(timeZone: string, day: number): number {
  const part = formatterFor(timeZone)
    .formatToParts(day * DAY_MS + DAY_MS / 2)
    .find((p) => p.type === 'timeZoneName');
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(part?.value ?? '');
  if (m === null) throw new Error(`Cannot read the UTC offset of ${timeZone} from "${part?.value}"`);
  if (m[1] === undefined) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** First day in (lo, hi] whose offset is not `before`; `hi` must already differ. */
function firstChange(timeZone: string, lo: number, hi: number, before: number): number {
  let a = lo;
  let b = hi;
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (probe(timeZone, mid) === before) a = mid;
    else b = mid;
  }
  return b;
}

function computeYear(timeZone: string, year: number): YearOffsets {
  const jan1 = dayFromCivil(year, 1, 1);
  const jul1 = dayFromCivil(year, 7, 1);
  const dec31 = dayFromCivil(year, 12, 31);
  const january = probe(timeZone, jan1);
  const july = probe(timeZone, jul1);
  if (january === july) return { january, july, julyFrom: jul1, julyUntil: jul1 };
  const julyFrom = firstChange(timeZone, jan1, jul1, january);
  const julyUntil = probe(timeZone, dec31) === july ? dec31 + 1 : firstChange(timeZone, jul1, dec31, july);
  return { january, july, julyFrom, julyUntil };
}

export function utcOffsetMinutes(timeZone: string, day: number): number {
  const year = yearOfDay(day);
  const key = `${timeZone}|${year}`;
  let y = years.get(key);
  if (y === undefined) {
    y = computeYear(timeZone, year);
    years.set(key, y);
  }
  return day >= y.julyFrom && day < y.julyUntil ? y.july : y.january;
}
