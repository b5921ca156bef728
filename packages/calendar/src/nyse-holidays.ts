import { dayFromCivil, isoFromDay, weekdayOf } from './days';

/**
 * NYSE full holidays and early closes, derived from the exchange's published rules (Rule 7.2)
 * so any year works without a table to keep up to date, with the history the rules changed
 * through since 1990 (early closes at 14:00 until 1992, the July 3 and Thanksgiving Friday half
 * days from 1992/1995, July 5 rather than July 3 before 2013) and the one-off days no rule predicts.
 */
export type SpecialDayKind = 'holiday' | 'early_close';

export interface SpecialDay {
  date: string;
  kind: SpecialDayKind;
  name: string;
  /** An early close's time, HH:MM New York time. */
  close?: string;
}

interface EarlyClose {
  name: string;
  /** Minutes after midnight, New York time. */
  closeMin: number;
}

interface YearRules {
  holidays: Map<number, string>;
  earlyCloses: Map<number, EarlyClose>;
}

const CLOSE_13 = 13 * 60;
const CLOSE_14 = 14 * 60;

/**
 * Closures no rule predicts (national mourning, 9/11, Hurricane Sandy). Without them a real
 * provider's history would show "gaps" that no backfill can ever fill.
 */
const UNSCHEDULED_CLOSURES: ReadonlyArray<readonly [string, string]> = [
  ['1994-04-27', 'National Day of Mourning (Richard Nixon)'],
  ['2001-09-11', 'September 11 attacks'],
  ['2001-09-12', 'September 11 attacks'],
  ['2001-09-13', 'September 11 attacks'],
  ['2001-09-14', 'September 11 attacks'],
  ['2004-06-11', 'National Day of Mourning (Ronald Reagan)'],
  ['2007-01-02', 'National Day of Mourning (Gerald Ford)'],
  ['2012-10-29', 'Hurricane Sandy'],
  ['2012-10-30', 'Hurricane Sandy'],
  ['2018-12-05', 'National Day of Mourning (George H. W. Bush)'],
  ['2025-01-09', 'National Day of Mourning (Jimmy Carter)'],
];

/** Early closes the exchange announced on its own, outside Rule 7.2's eves; all at 13:00. */
const UNSCHEDULED_EARLY_CLOSES: ReadonlyArray<readonly [string, string]> = [
  ['1997-12-26', 'Day after Christmas'],
  ['1999-12-31', "New Year's Eve (Y2K)"],
  ['2003-12-26', 'Day after Christmas'],
];

const SATURDAY = 6;
const SUNDAY = 0;
const MONDAY = 1;
const THURSDAY = 4;

function dayOfIso(iso: string): number {
  return dayFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}

function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = dayFromCivil(year, month, 1);
  return first + ((weekday - weekdayOf(first) + 7) % 7) + 7 * (n - 1);
}

function lastWeekday(year: number, month: number, weekday: number): number {
  const last = dayFromCivil(year, month + 1, 1) - 1;
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

/** Anonymous Gregorian computus. */
function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dom = ((h + l - 7 * m + 114) % 31) + 1;
  return dayFromCivil(year, month, dom);
}

/** A Saturday holiday is observed on the Friday before, a Sunday one on the Monday after. */
function observed(day: number): number {
  const wd = weekdayOf(day);
  if (wd === SATURDAY) return day - 1;
  if (wd === SUNDAY) return day + 1;
  return day;
}

function computeYear(year: number): YearRules {
  const holidays = new Map<number, string>();
  const newYear = dayFromCivil(year, 1, 1);
  // Rule 7.2: a Saturday New Year's Day is not moved back into the old year (it would close a year-end session).
  if (weekdayOf(newYear) !== SATURDAY) holidays.set(observed(newYear), "New Year's Day");
  if (year >= 1998) holidays.set(nthWeekday(year, 1, MONDAY, 3), 'Martin Luther King Jr. Day');
  holidays.set(nthWeekday(year, 2, MONDAY, 3), "Washington's Birthday");
  holidays.set(easterSunday(year) - 2, 'Good Friday');
  holidays.set(lastWeekday(year, 5, MONDAY), 'Memorial Day');
  if (year >= 2022) holidays.set(observed(dayFromCivil(year, 6, 19)), 'Juneteenth');
  const july4 = dayFromCivil(year, 7, 4);
  holidays.set(observed(july4), 'Independence Day');
  holidays.set(nthWeekday(year, 9, MONDAY, 1), 'Labor Day');
  const thanksgiving = nthWeekday(year, 11, THURSDAY, 4);
  holidays.set(thanksgiving, 'Thanksgiving Day');
  const christmas = dayFromCivil(year, 12, 25);
  holidays.set(observed(christmas), 'Christmas Day');
  for (const [iso, name] of UNSCHEDULED_CLOSURES) {
    if (iso.startsWith(`${year}-`)) holidays.set(dayOfIso(iso), name);
  }

  const earlyCloses = new Map<number, EarlyClose>();
  // Until 1992 the exchange's early closes were at 14:00; from 1993 at 13:00.
  const closeMin = year <= 1992 ? CLOSE_14 : CLOSE_13;
  const addEarly = (day: number, name: string) => {
    const wd = weekdayOf(day);
    if (wd !== SATURDAY && wd !== SUNDAY && !holidays.has(day)) earlyCloses.set(day, { name, closeMin });
  };
  // The Independence Day half day dates from 1995 (July 3 and 4 were never both trading days in 1992-94).
  // Before 2013, with July 4 on a Thursday, the half day was Friday July 5 and July 3 traded in full;
  // since 2013 it is Wednesday July 3. July 4 on a Saturday makes July 3 the holiday; on a Sunday or Monday there is no eve.
  const july4Weekday = weekdayOf(july4);
  if (year >= 1995) {
    if (july4Weekday === THURSDAY && year < 2013) addEarly(july4 + 1, 'Independence Day (day after)');
    else if (july4Weekday >= 2 && july4Weekday <= 5) addEarly(july4 - 1, 'Independence Day (eve)');
  }
  // The Friday after Thanksgiving became a half day in 1992.
  if (year >= 1992) addEarly(thanksgiving + 1, 'Day after Thanksgiving');
  addEarly(christmas - 1, 'Christmas Eve');
  for (const [iso, name] of UNSCHEDULED_EARLY_CLOSES) {
    if (iso.startsWith(`${year}-`)) earlyCloses.set(dayOfIso(iso), { name, closeMin: CLOSE_13 });
  }
  return { holidays, earlyCloses };
}

const cache = new Map<number, YearRules>();

function rulesFor(year: number): YearRules {
  let rules = cache.get(year);
  if (rules === undefined) {
    rules = computeYear(year);
    cache.set(year, rules);
  }
  return rules;
}

export function isNyseHoliday(day: number, year: number): boolean {
  return rulesFor(year).holidays.has(day);
}

/** The close of an early-close day in minutes after midnight New York time, or null on a full day. */
export function nyseEarlyCloseMinute(day: number, year: number): number | null {
  return rulesFor(year).earlyCloses.get(day)?.closeMin ?? null;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The year's holidays and early closes, by date; for people and tests to read. */
export function nyseSpecialDays(year: number): SpecialDay[] {
  const rules = rulesFor(year);
  const days: SpecialDay[] = [];
  for (const [day, name] of rules.holidays) days.push({ date: isoFromDay(day), kind: 'holiday', name });
  for (const [day, e] of rules.earlyCloses) {
    days.push({ date: isoFromDay(day), kind: 'early_close', name: e.name, close: hhmm(e.closeMin) });
  }
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
