import { readFile, stat } from 'node:fs/promises';
import { CALENDAR_NAMES, type CalendarName } from '@candlebase/calendar';
import { isTimeZone } from './csv-time';
import { ProviderError } from './types';

/**
 * A file's own settings, in a JSON file beside it with the same name: AAPL_1h.csv reads
 * AAPL_1h.json, AAPL/1h.csv reads AAPL/1h.json. `{"timezone": "America/New_York"}` places its
 * zone-less times (over CSV_TIMEZONE); `{"calendar": "24x7"}` checks its bars against round-the-
 * clock sessions (an FX or crypto symbol without a dash, EURUSD). Both are optional.
 */
export interface CsvSidecar {
  timezone?: string;
  calendar?: CalendarName;
  /** Size and mtime, so a change to the sidecar re-checks the file. */
  stamp: string;
}

export function sidecarPath(csvPath: string): string {
  return csvPath.replace(/\.csv$/i, '.json');
}

export async function readSidecar(csvPath: string, label: string): Promise<CsvSidecar> {
  const path = sidecarPath(csvPath);
  const name = sidecarPath(label);
  const s = await stat(path).catch(() => null);
  if (s === null || !s.isFile()) return { stamp: '' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new ProviderError(`${name} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, {
      retryable: false,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProviderError(`${name} must hold an object such as {"timezone": "America/New_York"}`, {
      retryable: false,
    });
  }
  const { timezone, calendar, ...rest } = parsed as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new ProviderError(
      `${name} has settings this reader does not know: ${unknown.join(', ')} (it knows timezone, calendar)`,
      {
        retryable: false,
      },
    );
  }
  const out: CsvSidecar = { stamp: `${s.size}:${s.mtimeMs}` };
  if (timezone !== undefined) {
    if (typeof timezone !== 'string' || !isTimeZone(timezone)) {
      throw new ProviderError(
        `${name}: timezone ${JSON.stringify(timezone)} is not a time zone; use an IANA name such as America/New_York`,
        {
          retryable: false,
        },
      );
    }
    out.timezone = timezone;
  }
  if (calendar !== undefined) {
    if (typeof calendar !== 'string' || !(CALENDAR_NAMES as readonly string[]).includes(calendar)) {
      throw new ProviderError(`${name}: calendar must be one of ${CALENDAR_NAMES.join(', ')}`, { retryable: false });
    }
    out.calendar = calendar as CalendarName;
  }
  return out;
}
