// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { centsToInput, formatMoney, formatRate, parseEuros } from '.';

describe('money', () => {
  it('reads euros as typed in French or English, exactly in cents', () => {
    expect(parseEuros('26,50')).toBe(2650);
    expect(parseEuros('26.5')).toBe(2650);
    expect(parseEuros('1 234,56 €')).toBe(123456);
    expect(parseEuros('0.07')).toBe(7);
    expect(parseEuros('12,345')).toBeNull();
    expect(parseEuros('-3')).toBeNull();
    expect(parseEuros('')).toBeNull();
  });

  it('writes amounts and rates in the user’s locale', () => {
    expect(centsToInput(2650)).toBe('26.50');
    expect(formatMoney(2650, 'en-GB')).toBe('€26.50');
    expect(formatMoney(2650, 'fr-FR').replace(/\s/g, ' ')).toBe('26,50 €');
    expect(formatRate(2000, 'en-GB')).toBe('20%');
    expect(formatRate(550, 'fr-FR').replace(/\s/g, ' ')).toBe('5,5 %');
  });
});
