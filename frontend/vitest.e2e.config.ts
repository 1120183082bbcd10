// SPDX-License-Identifier: Apache-2.0
// End-to-end tests: Debian's Chromium, driven by playwright-core, against the real C++ server
// started on a fresh embedded database (see e2e/support/global-setup.ts). One file at a time.
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['./e2e/support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
