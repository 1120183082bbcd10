// SPDX-License-Identifier: Apache-2.0
// Starts the real `medisecure serve` on a fresh data directory and a free loopback port, with
// the demo practice loaded, and stops it afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { frontendDir, serverBinary } from './environment';

export interface DemoAccount {
  role: string;
  email: string;
  password: string;
  name?: string;
}

export interface RunningServer {
  baseUrl: string;
  dataDir: string;
  accounts: DemoAccount[];
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}

/** Parses demo-credentials.txt: "  role  email  password   (Name)". */
export function parseCredentials(text: string): DemoAccount[] {
  const accounts: DemoAccount[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s+(admin|doctor|nurse|secretary|accountant|patient)\s+(\S+@\S+)\s+(\S+)(?:\s+\((.+)\))?\s*$/.exec(
      line,
    );
    if (m) accounts.push({ role: m[1]!, email: m[2]!, password: m[3]!, ...(m[4] ? { name: m[4] } : {}) });
  }
  return accounts;
}

async function waitUntilReady(baseUrl: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${log()}`);
    try {
      const res = await fetch(`${baseUrl}/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not become ready in 30 s:\n${log()}`);
}

/** The environment that starts a process's clock on the run's clock (see clock.ts). */
function clockEnvironment(clockOffsetMs: number): Record<string, string> {
  if (clockOffsetMs === 0) return {};
  return { MEDISECURE_TEST_CLOCK: new Date(Date.now() + clockOffsetMs).toISOString() };
}

export async function startServer(clockOffsetMs: number, env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'medisecure-e2e-'));
  const seed = spawnSync(serverBinary, ['demo', 'seed', '--data-dir', dataDir], {
    encoding: 'utf8',
    env: { ...process.env, ...clockEnvironment(clockOffsetMs) },
  });
  if (seed.status !== 0) throw new Error(`demo seed failed:\n${seed.stdout}\n${seed.stderr}`);
  const accounts = parseCredentials(readFileSync(join(dataDir, 'demo-credentials.txt'), 'utf8'));
  if (accounts.length === 0) throw new Error('demo seed printed no accounts');

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(serverBinary, ['serve', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--migrate'], {
    env: {
      ...process.env,
      MEDISECURE_STATIC_DIR: resolve(frontendDir, 'dist'),
      MEDISECURE_LOG_LEVEL: 'warn',
      ...clockEnvironment(clockOffsetMs),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await waitUntilReady(baseUrl, child, () => output);

  return {
    baseUrl,
    dataDir,
    accounts,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
