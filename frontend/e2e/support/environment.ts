// SPDX-License-Identifier: Apache-2.0
// Where the e2e run finds the server binary and the browser, and what it does when one is
// missing: under CI (CI=true) that is a failure; elsewhere the tests skip and say why.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const frontendDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const repoDir = resolve(frontendDir, '..');
export const outputDir = resolve(frontendDir, 'e2e-output');
export const screenshotDir = resolve(outputDir, 'screenshots');

export const serverBinary = process.env.MEDISECURE_BIN ?? resolve(repoDir, 'build/release/src/main/medisecure');
export const chromiumPath = process.env.MEDISECURE_CHROMIUM ?? '/usr/bin/chromium';
export const inCi = process.env.CI === 'true';

/** Why the e2e tests cannot run here, or null when they can. */
export function missingPrerequisite(): string | null {
  if (!existsSync(serverBinary)) {
    return `the server binary is missing at ${serverBinary} (build it with scripts/build.sh, or set MEDISECURE_BIN)`;
  }
  if (!existsSync(chromiumPath)) {
    return `Chromium is missing at ${chromiumPath} (install it with scripts/deps.sh test, or set MEDISECURE_CHROMIUM)`;
  }
  return null;
}
