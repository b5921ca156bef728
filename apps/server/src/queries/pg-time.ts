import { isoRequired } from '@candlebase/db/rows';

/** `toISOString()` form of a timestamp as a driver hands it over (the one decoder, in packages/db/src/rows.ts). */
export function isoFromPg(v: unknown): string {
  return isoRequired(v);
}

/** As `isoFromPg`, null for null. */
export function isoFromPgOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : isoFromPg(v);
}
