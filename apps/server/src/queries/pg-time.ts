import { isoRequired } from '../backfill/rows';

/**
 * `toISOString()` form of a timestamp as a driver hands it over. Postgres' text form in UTC
 * ("2024-01-02 15:00:00.123456+00") is rearranged without parsing: list queries return tens of
 * thousands of timestamps and Date.parse was their biggest cost. Anything else (another offset,
 * a Date from PGlite, a year past 9999) takes the general path.
 */
export function isoFromPg(v: unknown): string {
  if (typeof v === 'string' && v.length >= 22 && v.charCodeAt(10) === 32 && v.endsWith('+00')) {
    if (v.length === 22) return `${v.slice(0, 10)}T${v.slice(11, 19)}.000Z`;
    if (v.charCodeAt(19) === 46) {
      const fraction = v.slice(20, v.length - 3);
      const ms = fraction.length >= 3 ? fraction.slice(0, 3) : fraction.padEnd(3, '0');
      return `${v.slice(0, 10)}T${v.slice(11, 19)}.${ms}Z`;
    }
  }
  return isoRequired(v);
}

/** As `isoFromPg`, null for null. */
export function isoFromPgOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : isoFromPg(v);
}
