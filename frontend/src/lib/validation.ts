// SPDX-License-Identifier: Apache-2.0
// Schema helpers shared by the forms. Zod messages are translation keys (with parameters after a
// "|"), so one schema serves both languages; validationMessage() renders them.
import type { TFunction } from 'i18next';
import { z } from 'zod';
import { todayIso } from '@/utils/format';
import { checkNir } from '@/utils/nir';

export function msg(key: string, params?: Record<string, string | number>): string {
  return params ? `${key}|${JSON.stringify(params)}` : key;
}

// A message key names a catalogue entry ("validation.required", "records.vitals.range"); anything
// else (a server message already translated, say) is shown as it is.
const MESSAGE_KEY = /^[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/;

export function validationMessage(t: TFunction, message: string | undefined): string | undefined {
  if (!message) return undefined;
  const bar = message.indexOf('|');
  const key = bar < 0 ? message : message.slice(0, bar);
  if (!MESSAGE_KEY.test(key)) return message;
  let params: Record<string, string | number> = {};
  if (bar >= 0) {
    try {
      params = JSON.parse(message.slice(bar + 1)) as Record<string, string | number>;
    } catch {
      return message;
    }
  }
  return t(key as 'validation.required', { ...params, defaultValue: message });
}

/** Required text, trimmed, at most `max` characters. */
export const requiredText = (max: number) =>
  z.string().trim().min(1, msg('validation.required')).max(max, msg('validation.tooLong', { max }));

/** Optional text: '' means absent. */
export const optionalText = (max: number) => z.string().trim().max(max, msg('validation.tooLong', { max }));

export const emailText = z
  .string()
  .trim()
  .max(254, msg('validation.tooLong', { max: 254 }))
  .refine((v) => v === '' || z.email().safeParse(v).success, msg('validation.email'));

export const phoneText = z
  .string()
  .trim()
  .refine((v) => v === '' || /^\+?[0-9 .()-]{6,20}$/.test(v), msg('validation.phone'));

export const pastDate = z
  .string()
  .min(1, msg('validation.required'))
  .regex(/^\d{4}-\d{2}-\d{2}$/, msg('validation.date'))
  .refine((v) => !Number.isNaN(Date.parse(v)), msg('validation.date'))
  .refine((v) => v <= todayIso(), msg('validation.futureDate'));

export const nirText = z
  .string()
  .trim()
  .max(21, msg('validation.tooLong', { max: 21 }))
  .superRefine((v, ctx) => {
    if (v === '') return;
    const check = checkNir(v);
    if (check === 'format') ctx.addIssue({ code: 'custom', message: msg('validation.nir') });
    if (check === 'key') ctx.addIssue({ code: 'custom', message: msg('validation.nirKey') });
  });

export const countryCode = z
  .string()
  .trim()
  .refine((v) => v === '' || /^[A-Z]{2}$/.test(v), msg('validation.country'));

/** '' → null: what a merge patch sends to clear an optional field. */
export function emptyToNull(v: string): string | null {
  const s = v.trim();
  return s === '' ? null : s;
}

export const totpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, msg('validation.totp'));
