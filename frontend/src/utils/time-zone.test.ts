// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatDayHeading,
  formatWallTime,
  formatZonedTime,
  fromWallClock,
  isIsoDate,
  isoWeekday,
  startOfIsoWeek,
  toWallClock,
  todayIn,
  weekDates,
} from './time-zone';

const paris = 'Europe/Paris';

describe('practice time zone', () => {
  it('reads an instant as the practice’s wall clock, winter and summer', () => {
    expect(toWallClock('2026-01-15T07:00:00Z', paris)).toEqual({ date: '2026-01-15', minutes: 8 * 60 });
    expect(toWallClock('2026-07-15T06:00:00Z', paris)).toEqual({ date: '2026-07-15', minutes: 8 * 60 });
    // Late in the evening UTC is already tomorrow in Paris.
    expect(toWallClock('2026-07-15T22:30:00Z', paris)).toEqual({ date: '2026-07-16', minutes: 30 });
  });

  it('turns a wall-clock time back into the instant, across daylight saving changes', () => {
    expect(fromWallClock('2026-01-15', '08:00', paris).toISOString()).toBe('2026-01-15T07:00:00.000Z');
    expect(fromWallClock('2026-07-15', '08:00', paris).toISOString()).toBe('2026-07-15T06:00:00.000Z');
    // 29 March 2026: 02:00 → 03:00. 02:30 does not exist and is read with the winter offset.
    expect(fromWallClock('2026-03-29', '02:30', paris).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(fromWallClock('2026-03-29', '03:30', paris).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 25 October 2026: 03:00 → 02:00. 02:30 happens twice; the first is taken.
    expect(fromWallClock('2026-10-25', '02:30', paris).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(fromWallClock('2026-10-25', '08:00', paris).toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });

  it('does not depend on the device’s own zone', () => {
    expect(toWallClock('2026-11-24T13:05:00Z', 'America/New_York')).toEqual({
      date: '2026-11-24',
      minutes: 8 * 60 + 5,
    });
    expect(formatZonedTime('2026-11-24T13:05:00Z', 'fr-FR', paris)).toBe('14:05');
    expect(formatZonedTime('2026-11-24T13:05:00Z', 'en-US', paris)).toMatch(/^2:05\sPM$/);
  });

  it('does calendar arithmetic on dates without shifting them', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(startOfIsoWeek('2026-11-29')).toBe('2026-11-23');
    expect(weekDates('2026-11-24')).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
    ]);
    expect(todayIn(paris, new Date('2026-11-24T23:30:00Z'))).toBe('2026-11-25');
    expect(isIsoDate('2026-11-24')).toBe(true);
    expect(isIsoDate('24/11/2026')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });

  it('writes days and schedule times in the user’s language', () => {
    expect(formatDayHeading('2026-11-24', 'fr-FR')).toBe('mardi 24 novembre');
    expect(formatDayHeading('2026-11-24', 'en-GB')).toBe('Tuesday 24 November');
    expect(formatWallTime(8 * 60 + 30, 'fr-FR')).toBe('08:30');
    expect(formatWallTime(14 * 60, 'en-US')).toMatch(/^2:00\sPM$/);
  });
});
