// SPDX-License-Identifier: Apache-2.0
// The API types are generated from docs/openapi.json: it must be what the server describes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { repoDir, serverBinary } from './support/environment';
import { e2eDescribe } from './support/skip';

e2eDescribe('OpenAPI document', () => {
  it('docs/openapi.json matches `medisecure openapi` (regenerate it when the API changes)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medisecure-openapi-'));
    try {
      const out = join(dir, 'openapi.json');
      const run = spawnSync(serverBinary, ['openapi', '--data-dir', join(dir, 'data'), '--output', out], {
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      const committed: unknown = JSON.parse(readFileSync(resolve(repoDir, 'docs/openapi.json'), 'utf8'));
      const current: unknown = JSON.parse(readFileSync(out, 'utf8'));
      expect(committed, 'run: medisecure openapi --output docs/openapi.json').toEqual(current);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
