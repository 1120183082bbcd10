// SPDX-License-Identifier: Apache-2.0
// The French NIR (social security number): 13 characters (Corsica's departments 2A/2B included)
// followed by a key = 97 − (number mod 97). Checked here to catch typos before the server does.
export function normalizeNir(input: string): string {
  return input.replace(/[\s.-]/g, '').toUpperCase();
}

export type NirCheck = 'ok' | 'format' | 'key';

export function checkNir(input: string): NirCheck {
  const nir = normalizeNir(input);
  if (!/^[12378]\d{2}(0[1-9]|1[0-2]|[2-9]\d)(\d{2}|2A|2B)\d{6}\d{2}$/.test(nir)) return 'format';
  const body = nir.slice(0, 13).replace('2A', '19').replace('2B', '18');
  const key = Number(nir.slice(13));
  const expected = 97 - Number(BigInt(body) % 97n);
  return key === expected ? 'ok' : 'key';
}
