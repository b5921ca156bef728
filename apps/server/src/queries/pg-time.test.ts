import { isoRequired } from '@candlebase/db/rows';
import { describe, expect, it } from 'vitest';
import { isoFromPg, isoFromPgOrNull } from './pg-time';

describe('isoFromPg: the fast path agrees with the general one', () => {
  it.each([
    '2024-01-02 15:00:00+00',
    '2024-01-02 15:00:00.1+00',
    '2024-01-02 15:00:00.12+00',
    '2024-01-02 15:00:00.123+00',
    '2024-01-02 15:00:00.123456+00',
    '2024-01-02 15:00:00.999999+00',
    '1999-12-31 23:59:59.5+00',
    '2024-01-02 16:00:00+01',
    '2024-01-02 10:30:00-05:30',
  ])('%s', (text) => {
    expect(isoFromPg(text)).toBe(isoRequired(text));
  });

  it('takes Dates (PGlite) and nulls', () => {
    const d = new Date('2024-03-04T05:06:07.089Z');
    expect(isoFromPg(d)).toBe('2024-03-04T05:06:07.089Z');
    expect(isoFromPgOrNull(null)).toBeNull();
  });
});
