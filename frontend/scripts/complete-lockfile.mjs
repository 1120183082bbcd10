// SPDX-License-Identifier: Apache-2.0
// Run after `npm install` changes package-lock.json (npm run lockfile:complete).
//
// Native packages (rollup, esbuild's helpers, the lint resolver) list one optional dependency
// per platform. The package registry reachable here serves only this machine's platform, so
// `npm install` leaves the others out of the lock file, and `npm ci` then refuses the lock file
// as out of sync. This adds each missing platform package at the exact version its parent
// pins, marked optional: `npm ci` records it and skips it, as it does on any other platform.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
const added = [];

for (const [path, meta] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) {
      throw new Error(`${name}: optional dependency of ${path || 'the root'} has a range (${spec}), not a version`);
    }
    packages[hoisted] = { version: spec, optional: true, ...(meta.dev ? { dev: true } : {}) };
    added.push(`${name}@${spec}`);
  }
}

lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `lockfile: added ${added.join(', ')}` : 'lockfile: complete');
