// SPDX-License-Identifier: Apache-2.0
// Wall-clock time in a named time zone (the practice's, from the API), whatever the device's own
// zone: instants ↔ local dates and times, daylight saving included. Calendar dates are
// "YYYY-MM-DD" strings and never go through a time zone themselves.

const partsCache = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsCache.set(timeZone, f);
  }
  return f;
}

export interface WallClock {
  /** YYYY-MM-DD */
  date: string;
  /** Minutes since local midnight (0 to 1439). */
  minutes: number;
}

function wallFields(instant: Date, timeZone: string) {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 1970,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local date and time of an instant in `timeZone`. */
export function toWallClock(instant: string | Date, timeZone: string): WallClock {
  const f = wallFields(new Date(instant), timeZone);
  return { date: `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`, minutes: f.hour * 60 + f.minute };
}

/** How far `timeZone` is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const f = wallFields(new Date(instant), timeZone);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which the wall clock of `timeZone` shows `date` `time` (HH:MM). A time skipped
 * by the spring change is read with the offset from before it (02:30 becomes 03:30); a time seen
 * twice in autumn is its first occurrence.
 */
export function fromWallClock(date: string, time: string, timeZone: string): Date {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  const day = 24 * 3600_000;
  // The offsets in force a day before and a day after: equal except around a change.
  const before = naive - offsetAt(naive - day, timeZone);
  const after = naive - offsetAt(naive + day, timeZone);
  const shows = (c: number) => {
    const w = toWallClock(new Date(c), timeZone);
    return w.date === date && w.minutes === h * 60 + mi;
  };
  const valid = [before, after].filter(shows);
  return new Date(valid.length ? Math.min(...valid) : before);
}

/** "HH:MM" from minutes since midnight. */
export function minutesToTime(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** Minutes since midnight from "HH:MM" (24:00 is 1440). */
export function timeToMinutes(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function dateToUtc(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

function utcToDate(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function isIsoDate(value: string | null | undefined): value is string {
  return !!value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(dateToUtc(value).getTime());
}

export function addDays(date: string, days: number): string {
  const d = dateToUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return utcToDate(d);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = dateToUtc(date).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The Monday of the ISO week that contains `date`. */
export function startOfIsoWeek(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** Monday to Sunday of the week containing `date`. */
export function weekDates(date: string): string[] {
  const monday = startOfIsoWeek(date);
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** Today's date in `timeZone` (the device's own zone when none is given). */
export function todayIn(timeZone?: string, now: Date = new Date()): string {
  return toWallClock(now, timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone).date;
}

const displayCache = new Map<string, Intl.DateTimeFormat>();

function display(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(options);
  let f = displayCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    displayCache.set(key, f);
  }
  return f;
}

/** "14:05" / "2:05 PM": an instant's time in `timeZone`, in the user's locale. */
export function formatZonedTime(instant: string, locale: string, timeZone: string): string {
  return display(locale, { timeStyle: 'short', timeZone }).format(new Date(instant));
}

/** "mardi 24 novembre 2026 à 14:05": an instant in `timeZone`, in the user's locale. */
export function formatZonedDateTime(instant: string, locale: string, timeZone: string): string {
  return display(locale, { dateStyle: 'full', timeStyle: 'short', timeZone }).format(new Date(instant));
}

/** "mar. 24 nov." (short) or "mardi 24 novembre" (long): a calendar date as a heading. */
export function formatDayHeading(date: string, locale: string, style: 'short' | 'long' = 'long'): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'long'
      ? { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }
      : { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' };
  return display(locale, options).format(dateToUtc(date));
}

/** "mardi 24 novembre 2026": a calendar date in full. */
export function formatFullDate(date: string, locale: string): string {
  return display(locale, { dateStyle: 'full', timeZone: 'UTC' }).format(dateToUtc(date));
}

/** "08:30" in the user's locale ("8:30 AM" in en-US), for wall-clock times of a schedule. */
export function formatWallTime(minutes: number, locale: string): string {
  return display(locale, { timeStyle: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(1970, 0, 1, 0, minutes)));
}
