// SPDX-License-Identifier: Apache-2.0
// The free slots of one appointment type on one day, as a select; staff may also choose another
// time (the server then books outside the offered slots, with a warning when it is outside the
// opening hours).
import { useQuery } from '@tanstack/react-query';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Field } from '@/components/ui/field';
import { errorMessage } from '@/lib/error-message';
import { useLocale } from '@/lib/i18n';
import { msg } from '@/lib/validation';
import { addDays, formatZonedTime } from '@/utils/time-zone';
import { availabilityQuery } from '../api/appointments';

export const OTHER_TIME = 'other';

/** The day, the slot (or OTHER_TIME) and the other time, as a booking form validates them. */
export const slotChoiceFields = {
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, msg('validation.date')),
  slot: z.string().min(1, msg('validation.required')),
  time: z.string(),
};

/** With OTHER_TIME chosen, the time must be given (HH:MM): a refinement and its issue. */
export function otherTimeGiven(v: { slot: string; time: string }): boolean {
  return v.slot !== OTHER_TIME || /^([01]\d|2[0-3]):[0-5]\d$/.test(v.time);
}
export const otherTimeIssue = { path: ['time'], message: msg('validation.required') };

/** The time field shown when staff choose another time than the offered slots. */
export function OtherTimeField({
  timeZone,
  registration,
  error,
}: {
  timeZone: string;
  registration: UseFormRegisterReturn;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Field
      label={t('appointments.booking.time')}
      hint={t('appointments.booking.timeHint', { zone: timeZone })}
      error={error}
      required
    >
      <input {...registration} type="time" step={300} className="input" />
    </Field>
  );
}

export function SlotSelect({
  practitionerId,
  typeId,
  date,
  timeZone,
  registration,
  error,
  allowOtherTime,
  keep,
}: {
  practitionerId: string;
  typeId: string;
  date: string;
  timeZone: string;
  registration: UseFormRegisterReturn;
  error?: string | undefined;
  allowOtherTime: boolean;
  /** A start to list even though it is not free (the one a dialog was opened from). */
  keep?: string | undefined;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const ready = practitionerId !== '' && typeId !== '' && /^\d{4}-\d{2}-\d{2}$/.test(date);
  const query = useQuery({
    ...availabilityQuery(practitionerId, typeId, date, ready ? addDays(date, 1) : date),
    enabled: ready,
  });
  const zone = query.data?.time_zone ?? timeZone;
  const slots = query.data?.slots ?? [];
  const starts =
    keep && !slots.some((s) => s.start === keep) ? [keep, ...slots.map((s) => s.start)] : slots.map((s) => s.start);
  const hint = !ready
    ? t('appointments.booking.slotHintChoose')
    : query.isPending
      ? t('common.loading')
      : query.isError
        ? errorMessage(t, query.error)
        : starts.length === 0
          ? t('appointments.booking.noSlots')
          : t('appointments.booking.slotCount', { count: starts.length });
  return (
    <Field label={t('appointments.booking.slot')} hint={hint} error={error} required>
      <select {...registration} className="input">
        <option value="">{t('appointments.booking.slotPlaceholder')}</option>
        {starts.map((start) => (
          <option key={start} value={start}>
            {formatZonedTime(start, locale, zone)}
          </option>
        ))}
        {allowOtherTime && <option value={OTHER_TIME}>{t('appointments.booking.otherTime')}</option>}
      </select>
    </Field>
  );
}
