// SPDX-License-Identifier: Apache-2.0
// RFC 6238 codes (SHA-1, 6 digits, 30 s), as an authenticator app computes them.
import { createHmac } from 'node:crypto';
import { nowMs } from './clock';

function base32Decode(input: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = input.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const idx = alphabet.indexOf(ch);
    if (idx < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code for the 30-second step `offset` steps from now (on the run's clock, as the server's). */
export function totpCode(secretBase32: string, offset = 0, now = nowMs()): string {
  const step = Math.floor(now / 1000 / 30) + offset;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hmac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const offsetBits = hmac[hmac.length - 1]! & 0x0f;
  const binary = (hmac.readUInt32BE(offsetBits) & 0x7fffffff) % 1_000_000;
  return String(binary).padStart(6, '0');
}
