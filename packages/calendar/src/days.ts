/**
 * Whole UTC days as integers (days since 1970-01-01). The calendar works on these rather than on
 * Date objects so that walking years of sessions stays cheap and allocation-free.
 */
export const DAY_MS = 86_400_000;

export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

export function dayStartMs(day: number): number {
  return day * DAY_MS;
}

/** 0 = Sunday ... 6 = Saturday; 1970-01-01 was a Thursday. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Days from civil date, after Howard Hinnant's `days_from_civil` (proleptic Gregorian). */
export function dayFromCivil(year: number, month: number, dayOfMonth: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + dayOfMonth - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function civilFromDay(day: number): CivilDate {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d };
}

export function yearOfDay(day: number): number {
  return civilFromDay(day).year;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD'; a malformed or impossible date (2024-02-30) is a caller's bug, so it throws. */
export function dayFromIso(iso: string): number {
  const m = ISO_DAY.exec(iso);
  if (m === null) throw new RangeError(`Expected a date as YYYY-MM-DD, got "${iso}"`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const dom = Number(m[3]);
  const day = dayFromCivil(year, month, dom);
  const back = civilFromDay(day);
  if (month < 1 || month > 12 || back.month !== month || back.day !== dom) {
    throw new RangeError(`"${iso}" is not a real date`);
  }
  return day;
}

export function isoFromDay(day: number): string {
  const { year, month, day: dom } = civilFromDay(day);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(dom).padStart(2, '0')}`;
}
