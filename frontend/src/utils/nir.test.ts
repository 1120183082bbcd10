// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { checkNir, normalizeNir } from './nir';

describe('NIR', () => {
  it('accepts a valid number with spaces', () => {
    // 1 84 05 75 115 423 + key 97 − (1840575115423 mod 97)
    const body = '1840575115423';
    const key = String(97 - Number(BigInt(body) % 97n)).padStart(2, '0');
    expect(checkNir(`1 84 05 75 115 423 ${key}`)).toBe('ok');
  });

  it('handles Corsica (2A → 19, 2B → 18) in the key', () => {
    const key = String(97 - Number(BigInt('2840519004123') % 97n)).padStart(2, '0');
    expect(checkNir(`2 84 05 2A 004 123 ${key}`)).toBe('ok');
    expect(checkNir(`2 84 05 2B 004 123 ${key}`)).toBe('key');
  });

  it('rejects a wrong key and a malformed number', () => {
    expect(checkNir('1 84 05 75 115 423 00')).toBe('key');
    expect(checkNir('12345')).toBe('format');
    expect(checkNir('9 84 05 75 115 423 12')).toBe('format');
  });

  it('normalises separators and case', () => {
    expect(normalizeNir('2 84.05-2a 004 123 38')).toBe('284052A00412338');
  });
});
