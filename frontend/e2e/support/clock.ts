// SPDX-License-Identifier: Apache-2.0
// The run's clock. With MEDISECURE_TEST_CLOCK set (an RFC 3339 instant), the server, the browser
// and the tests all live at that instant plus the real time elapsed since the run started, so
// the suites can be run on a chosen day and hour (scripts/test-dates.sh). Unset: the real clock.
import { inject } from 'vitest';

/** Milliseconds between the run's clock and the machine's, from MEDISECURE_TEST_CLOCK. */
export function offsetFromEnvironment(): number {
  const text = process.env.MEDISECURE_TEST_CLOCK;
  if (!text) return 0;
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new Error(`MEDISECURE_TEST_CLOCK is not an RFC 3339 instant: ${text}`);
  return at - Date.now();
}

/** The run's current time in milliseconds since the epoch (Date.now() on the run's clock). */
export function nowMs(): number {
  return Date.now() + inject('clockOffsetMs');
}

/** The run's current time. */
export function now(): Date {
  return new Date(nowMs());
}

/** The run's date in the practice's time zone (Europe/Paris), as YYYY-MM-DD. */
export function todayInParis(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(now());
}

/**
 * `count` distinct weekdays (Monday to Friday) in the practice's calendar, the first at least
 * `ahead` days after today, as YYYY-MM-DD.
 */
export function weekdaysAhead(ahead: number, count = 1): string[] {
  const d = new Date(`${todayInParis()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + ahead);
  const out: string[] = [];
  while (out.length < count) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** The instant a UUIDv7 (the server's X-Request-Id) was made at, in milliseconds. */
export function uuidV7Millis(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

/** Throws unless `observedMs` is on the run's clock (within a few seconds): a moved clock that did not move is a failure, not a silent pass. */
export function expectOnRunClock(what: string, observedMs: number, clockOffsetMs: number): void {
  const expected = Date.now() + clockOffsetMs;
  if (Math.abs(observedMs - expected) > 5_000) {
    throw new Error(
      `${what} reads ${new Date(observedMs).toISOString()}, not the run's clock ${new Date(expected).toISOString()}`,
    );
  }
}
