import { describe, expect, it } from 'vitest';
import { nyseSpecialDays } from './nyse-holidays';

const holidays = (year: number) =>
  nyseSpecialDays(year)
    .filter((d) => d.kind === 'holiday')
    .map((d) => d.date);
const earlyCloses = (year: number) =>
  nyseSpecialDays(year)
    .filter((d) => d.kind === 'early_close')
    .map((d) => d.date);

describe('NYSE holidays by rule', () => {
  it('matches the exchange calendar for 2024', () => {
    expect(holidays(2024)).toEqual([
      '2024-01-01',
      '2024-01-15',
      '2024-02-19',
      '2024-03-29',
      '2024-05-27',
      '2024-06-19',
      '2024-07-04',
      '2024-09-02',
      '2024-11-28',
      '2024-12-25',
    ]);
    expect(earlyCloses(2024)).toEqual(['2024-07-03', '2024-11-29', '2024-12-24']);
  });

  it('does not move a Saturday New Year back into the old year', () => {
    // 2022-01-01 was a Saturday: Friday 2021-12-31 traded, and 2022 has no New Year holiday at all.
    expect(holidays(2021)).not.toContain('2021-12-31');
    expect(holidays(2022)[0]).toBe('2022-01-17');
    // 2023-01-01 was a Sunday: observed on Monday.
    expect(holidays(2023)).toContain('2023-01-02');
  });

  it('observes Saturday holidays on Friday and Sunday holidays on Monday', () => {
    // 2021: Christmas on a Saturday. 2022: Juneteenth and Christmas on Sundays. 2026: July 4 on a Saturday.
    expect(holidays(2021)).toContain('2021-12-24');
    expect(holidays(2022)).toEqual(expect.arrayContaining(['2022-06-20', '2022-12-26']));
    expect(holidays(2026)).toContain('2026-07-03');
    expect(holidays(2027)).toEqual(expect.arrayContaining(['2027-07-05', '2027-12-24']));
  });

  it('starts Juneteenth in 2022', () => {
    expect(holidays(2021).some((d) => d.startsWith('2021-06'))).toBe(false);
    expect(holidays(2023)).toContain('2023-06-19');
  });

  it('closes early only on the eves NYSE names', () => {
    // July 4 on Tuesday: Monday July 3 closes early. On a Monday (2022) or a Saturday (2026): no early close.
    expect(earlyCloses(2023)).toEqual(['2023-07-03', '2023-11-24']);
    expect(earlyCloses(2022)).toEqual(['2022-11-25']);
    expect(earlyCloses(2026)).toEqual(['2026-11-27', '2026-12-24']);
    // Christmas Eve on a Friday that is itself the observed holiday is not an early close.
    expect(earlyCloses(2021)).toEqual(['2021-11-26']);
  });

  it('finds Good Friday from Easter', () => {
    expect(holidays(2019)).toContain('2019-04-19');
    expect(holidays(2025)).toContain('2025-04-18');
    expect(holidays(2038)).toContain('2038-04-23');
  });

  it('includes unscheduled closures a rule cannot predict', () => {
    expect(holidays(2001)).toEqual(expect.arrayContaining(['2001-09-11', '2001-09-14']));
    expect(holidays(2012)).toEqual(expect.arrayContaining(['2012-10-29', '2012-10-30']));
    expect(holidays(2025)).toContain('2025-01-09');
  });
});

describe('NYSE history before 2004, as the exchange recorded it', () => {
  const early = (year: number) => nyseSpecialDays(year).filter((d) => d.kind === 'early_close');
  const closeOn = (date: string) =>
    nyseSpecialDays(Number(date.slice(0, 4))).find((d) => d.date === date && d.kind === 'early_close')?.close;

  it('closed early at 14:00 in 1990-92, with July 3 and Thanksgiving Friday full days in 1990-91', () => {
    expect(early(1990).map((d) => [d.date, d.close])).toEqual([['1990-12-24', '14:00']]);
    expect(early(1991).map((d) => [d.date, d.close])).toEqual([['1991-12-24', '14:00']]);
    expect(early(1992).map((d) => [d.date, d.close])).toEqual([
      ['1992-11-27', '14:00'],
      ['1992-12-24', '14:00'],
    ]);
    expect(closeOn('1990-07-03')).toBeUndefined();
    expect(closeOn('1991-07-03')).toBeUndefined();
    expect(closeOn('1990-11-23')).toBeUndefined();
    expect(closeOn('1991-11-29')).toBeUndefined();
  });

  it('closes early at 13:00 from 1993', () => {
    expect(closeOn('1993-11-26')).toBe('13:00');
    expect(closeOn('1995-07-03')).toBe('13:00');
  });

  it('made July 5 the half day when July 4 was a Thursday before 2013, and July 3 since', () => {
    expect(closeOn('1996-07-05')).toBe('13:00');
    expect(closeOn('1996-07-03')).toBeUndefined();
    expect(closeOn('2002-07-05')).toBe('13:00');
    expect(closeOn('2002-07-03')).toBeUndefined();
    expect(closeOn('2013-07-03')).toBe('13:00');
    expect(closeOn('2013-07-05')).toBeUndefined();
    expect(closeOn('2019-07-03')).toBe('13:00');
  });

  it('has the one-off 13:00 closes of 1997, 1999 and 2003', () => {
    expect(closeOn('1997-12-26')).toBe('13:00');
    expect(closeOn('1999-12-31')).toBe('13:00');
    expect(closeOn('2003-12-26')).toBe('13:00');
  });

  it('lists every early close of 1990-2003', () => {
    const all = [];
    for (let y = 1990; y <= 2003; y++) all.push(...early(y).map((d) => `${d.date} ${d.close}`));
    expect(all).toEqual([
      '1990-12-24 14:00',
      '1991-12-24 14:00',
      '1992-11-27 14:00',
      '1992-12-24 14:00',
      '1993-11-26 13:00',
      '1994-11-25 13:00',
      '1995-07-03 13:00',
      '1995-11-24 13:00',
      '1996-07-05 13:00',
      '1996-11-29 13:00',
      '1996-12-24 13:00',
      '1997-07-03 13:00',
      '1997-11-28 13:00',
      '1997-12-24 13:00',
      '1997-12-26 13:00',
      '1998-11-27 13:00',
      '1998-12-24 13:00',
      '1999-11-26 13:00',
      '1999-12-31 13:00',
      '2000-07-03 13:00',
      '2000-11-24 13:00',
      '2001-07-03 13:00',
      '2001-11-23 13:00',
      '2001-12-24 13:00',
      '2002-07-05 13:00',
      '2002-11-29 13:00',
      '2002-12-24 13:00',
      '2003-07-03 13:00',
      '2003-11-28 13:00',
      '2003-12-24 13:00',
      '2003-12-26 13:00',
    ]);
  });

  it('lists every closure no rule predicts since 1990', () => {
    const special = [
      '1994-04-27',
      '2001-09-11',
      '2001-09-12',
      '2001-09-13',
      '2001-09-14',
      '2004-06-11',
      '2007-01-02',
      '2012-10-29',
      '2012-10-30',
      '2018-12-05',
      '2025-01-09',
    ];
    for (const date of special) {
      expect(holidays(Number(date.slice(0, 4))), date).toContain(date);
    }
  });
});
