// SPDX-License-Identifier: Apache-2.0
// Server field errors name fields by JSON pointer ("/address/postal_code"); forms by dotted path.
export function pointerToPath(pointer: string): string {
  if (!pointer.startsWith('/')) return pointer;
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}
