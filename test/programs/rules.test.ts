import { describe, expect, it } from 'vitest';
import { postingWeeks } from '../../src/domains/programs/compliance.ts';
import { addMonths, isDate, isoWeekLabel, mondayOf, shanghaiToday } from '../../src/shared/dates.ts';
import { maskPhone } from '../../src/domains/programs/present.ts';

describe('calendar dates', () => {
  it('takes today from Beijing, not from UTC', () => {
    expect(shanghaiToday(new Date('2023-02-28T16:30:00Z'))).toBe('2023-03-01');
    expect(shanghaiToday(new Date('2023-02-28T15:30:00Z'))).toBe('2023-02-28');
  });

  it('knows real dates, Mondays and ISO weeks', () => {
    expect(isDate('2023-02-28')).toBe(true);
    expect(isDate('2023-02-29')).toBe(false);
    expect(mondayOf('2022-05-01')).toBe('2022-04-25'); // a Sunday belongs to the week before
    expect(mondayOf('2022-05-16')).toBe('2022-05-16');
    expect(isoWeekLabel('2022-05-18')).toBe('2022-W20');
    expect(isoWeekLabel('2021-01-03')).toBe('2020-W53');
    expect(isoWeekLabel('2024-12-30')).toBe('2025-W01');
  });

  it('adds months, keeping to the end of short months', () => {
    expect(addMonths('2022-05-01', 12)).toBe('2023-05-01');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
  });
});

describe('weekly compliance', () => {
  const range = { from: '2022-04-25', to: '2022-05-22' };
  const logged = new Map([
    ['2022-05-02', 2],
    ['2022-05-09', 3],
    ['2022-05-16', 1],
  ]);

  it('catches a week with 1 day when 2 are required', () => {
    const weeks = postingWeeks({ start: '2022-05-01', end: null }, range, 2, logged);
    expect(weeks.map((w) => [w.week, w.coveredDays, w.required, w.logged, w.short])).toEqual([
      ['2022-W17', 1, 0, 0, false], // posted on a Sunday: one day of the week, nothing owed
      ['2022-W18', 7, 2, 2, false],
      ['2022-W19', 7, 2, 3, false],
      ['2022-W20', 7, 2, 1, true],
    ]);
  });

  it('pro-rates weeks a posting covers in part', () => {
    const weeks = postingWeeks({ start: '2022-05-05', end: '2022-05-17' }, range, 2, new Map());
    expect(weeks.map((w) => [w.monday, w.coveredDays, w.required])).toEqual([
      ['2022-05-02', 4, 1], // Thursday to Sunday
      ['2022-05-09', 7, 2],
      ['2022-05-16', 2, 0], // Monday and Tuesday
    ]);
  });

  it('owes nothing without a minimum and nothing outside the posting', () => {
    expect(postingWeeks({ start: '2022-05-01', end: null }, range, 0, new Map()).every((w) => !w.short)).toBe(true);
    expect(postingWeeks({ start: '2023-01-01', end: null }, range, 2, new Map())).toEqual([]);
  });
});

describe('cadre phone numbers', () => {
  it('masks the middle of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('010-6833 1234')).toBe('010****1234');
    expect(maskPhone('12345')).toBe('***45');
  });
});
