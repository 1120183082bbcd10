// SPDX-License-Identifier: Apache-2.0
// Once per e2e run: checks the prerequisites (failing under CI, skipping elsewhere), makes sure
// the production build exists, and starts the shared server with the demo practice.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { expectOnRunClock, offsetFromEnvironment, uuidV7Millis } from './clock';
import { frontendDir, inCi, missingPrerequisite, screenshotDir } from './environment';
import { startServer, type DemoAccount } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    skipReason: string;
    baseUrl: string;
    accounts: DemoAccount[];
    clockOffsetMs: number;
  }
}

export default async function setup(project: TestProject) {
  const missing = missingPrerequisite();
  if (missing) {
    if (inCi) throw new Error(`e2e: ${missing}; CI requires the browser tests`);
    console.warn(`e2e: skipped: ${missing}`);
    project.provide('skipReason', missing);
    project.provide('baseUrl', '');
    project.provide('accounts', []);
    project.provide('clockOffsetMs', 0);
    return;
  }
  if (!existsSync(resolve(frontendDir, 'dist/index.html'))) {
    console.log('e2e: building the web application first');
    const build = spawnSync('npm', ['run', 'build'], { cwd: frontendDir, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('e2e: npm run build failed');
  }
  rmSync(screenshotDir, { recursive: true, force: true });
  mkdirSync(screenshotDir, { recursive: true });

  const clockOffsetMs = offsetFromEnvironment();
  const server = await startServer(clockOffsetMs, {
    // Many sign-ins from one address in a short run: lift the per-address rate limits (the
    // lockout after repeated failures per account stays, and is tested).
    MEDISECURE_RATE_LIMIT_AUTH: '100/1000',
    MEDISECURE_RATE_LIMIT_IP: '1000/5000',
    MEDISECURE_RATE_LIMIT_USER: '1000/5000',
  });
  console.log(`e2e: server on ${server.baseUrl} (data in ${server.dataDir})`);
  if (clockOffsetMs !== 0) {
    // The server's request ids are UUIDv7, stamped by its clock.
    const res = await fetch(`${server.baseUrl}/health/live`);
    expectOnRunClock('the server', uuidV7Millis(res.headers.get('x-request-id') ?? ''), clockOffsetMs);
    console.log(`e2e: the run's clock starts at ${process.env.MEDISECURE_TEST_CLOCK}`);
  }
  project.provide('skipReason', '');
  project.provide('baseUrl', server.baseUrl);
  project.provide('accounts', server.accounts);
  project.provide('clockOffsetMs', clockOffsetMs);
  return () => server.stop();
}
