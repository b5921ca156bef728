import type { CalendarName } from '@candlebase/calendar';
import type { Timeframe } from '@candlebase/contracts';
import type { CsvLayoutName } from './csv-layouts';
import type { Delimiter } from './csv-read';

/**
 * One CSV file read end to end: its layout recognised, every row checked and placed on the
 * calendar, and a report of what it holds. The provider and an upload preview both use this.
 */
export interface CsvFileOptions {
  symbol: string;
  timeframe: Timeframe;
  /** The IANA zone (e.g. America/New_York) of times written without one; such times fail without it. */
  zone?: string | undefined;
  /** Which sessions the bars must fall in; by default from the symbol (pairs 24x7, the rest NYSE). */
  calendar?: CalendarName | undefined;
  /** How messages name the file; its base name by default. */
  label?: string | undefined;
  /** How to declare a zone, as the caller offers it; the end of the "no zone" message. */
  zoneHint?: string | undefined;
  /** How to say the symbol trades around the clock, as the caller offers it; added to a refusal by the NYSE's hours. */
  calendarHint?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface CsvLineNote {
  line: number;
  reason: string;
}

export interface CsvReport {
  file: string;
  layout: CsvLayoutName;
  delimiter: Delimiter;
  zone: string | null;
  calendar: CalendarName;
  /** Bars the file holds, as they will be stored. */
  rows: number;
  /** Rows without prices (Yahoo's `null` rows), skipped: how many, and the first 100 with their lines. */
  skipped: { count: number; rows: CsvLineNote[] };
  /** Rows refused, when inspecting (a strict read throws at the first instead): the first ones, and how many in all. */
  errors: CsvLineNote[];
  errorCount: number;
  first: string | null;
  last: string | null;
  volume: 'volume' | 'tick volume' | 'none';
  notes: string[];
}
