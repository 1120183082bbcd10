// SPDX-License-Identifier: Apache-2.0
// Appointments, absences and free slots as spans of the practice's local days.
import { addDays, fromWallClock, isoWeekday, timeToMinutes, toWallClock } from '@/utils/time-zone';
import type { Absence, OpeningRange } from '../../types';
import type { Span } from './layout';

export interface DaySpan extends Span {
  date: string;
}

/** An instant range as local spans, one per day it covers (an absence can last days). */
export function spansOf(start: string, end: string, days: readonly string[], timeZone: string): DaySpan[] {
  const from = new Date(start).getTime();
  const to = new Date(end).getTime();
  const out: DaySpan[] = [];
  for (const date of days) {
    const dayStart = fromWallClock(date, '00:00', timeZone).getTime();
    const dayEnd = fromWallClock(addDays(date, 1), '00:00', timeZone).getTime();
    const s = Math.max(from, dayStart);
    const e = Math.min(to, dayEnd);
    if (e <= s) continue;
    const startMinutes = toWallClock(new Date(s), timeZone).minutes;
    const endMinutes = e === dayEnd ? 24 * 60 : toWallClock(new Date(e), timeZone).minutes;
    out.push({ date, start: startMinutes, end: Math.max(endMinutes, startMinutes + 5) });
  }
  return out;
}

/** An appointment's span on the day it starts. */
export function appointmentSpan(start: string, durationMinutes: number, timeZone: string): DaySpan {
  const w = toWallClock(start, timeZone);
  return { date: w.date, start: w.minutes, end: Math.min(w.minutes + durationMinutes, 24 * 60) };
}

export function absenceSpans(absence: Absence, days: readonly string[], timeZone: string): DaySpan[] {
  return spansOf(absence.start, absence.end, days, timeZone);
}

/** The opening ranges of a local day. */
export function openOn(date: string, ranges: readonly OpeningRange[]): Span[] {
  const weekday = isoWeekday(date);
  return ranges
    .filter((r) => r.weekday === weekday)
    .map((r) => ({ start: timeToMinutes(r.start), end: timeToMinutes(r.end) }));
}
