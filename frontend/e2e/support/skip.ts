// SPDX-License-Identifier: Apache-2.0
// Lets each e2e file skip, with the reason, when the run has no server or browser (never in CI:
// the global set-up fails there instead).
import { describe, inject } from 'vitest';

export const e2eDescribe = (name: string, fn: () => void) => {
  const reason = inject('skipReason');
  return reason ? describe.skip(`${name} (skipped: ${reason})`, fn) : describe(name, fn);
};
