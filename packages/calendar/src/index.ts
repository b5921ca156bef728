export {
  alignDown,
  barCloseMs,
  barOpens,
  countBars,
  isBarOpen,
  lastBarBefore,
  latestClosedBar,
  nextBarAtOrAfter,
  type SessionBars,
  sessionBars,
} from './bars';
export { DAY_MS, dayFromIso, isoFromDay } from './days';
export { type MissingRange, missingRanges } from './gaps';
export { nyseSpecialDays, type SpecialDay, type SpecialDayKind } from './nyse-holidays';
export {
  CALENDAR_NAMES,
  type CalendarName,
  calendarFor,
  isTradingDay,
  type Session,
  sessionOf,
  sessionOnDay,
  sessionsBetween,
} from './sessions';
export { utcOffsetMinutes } from './zone-offsets';
