// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { formatDate, todayIso } from './format';
import { pointerToPath } from './json-pointer';

describe('formatting', () => {
  it('formats calendar dates in the user language without shifting the day', () => {
    expect(formatDate('1984-05-02', 'fr')).toBe('2 mai 1984');
    expect(formatDate('1984-05-02', 'en')).toBe('May 2, 1984');
    expect(formatDate('not a date', 'fr')).toBe('not a date');
  });

  it('gives today in local time', () => {
    expect(todayIso(new Date(2026, 0, 9, 23, 59))).toBe('2026-01-09');
  });

  it('maps JSON pointers to form paths', () => {
    expect(pointerToPath('/address/postal_code')).toBe('address.postal_code');
    expect(pointerToPath('q')).toBe('q');
    expect(pointerToPath('/a~1b')).toBe('a/b');
  });
});
