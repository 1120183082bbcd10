// SPDX-License-Identifier: Apache-2.0
// Words for the appointments context's refusals: its problem codes and field-error codes in the
// user's language, else the general messages (lib/error-message). The practice's notice periods
// are settings the API does not publish; its messages name them ("… 24 hours before …"), so the
// number is read from there and the sentence written in the user's language.
import type { TFunction } from 'i18next';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { isApiError, type ApiError, type FieldError } from '@/lib/api-error';
import { errorMessage, fieldErrorMessage } from '@/lib/error-message';
import { pointerToPath } from '@/utils/json-pointer';

function numberBefore(unit: 'hour' | 'day', text: string): number | null {
  const m = new RegExp(`(\\d+)\\s*${unit}s?\\b`).exec(text);
  return m ? Number(m[1]) : null;
}

export function appointmentErrorMessage(t: TFunction, error: unknown): string {
  if (!isApiError(error)) return errorMessage(t, error);
  if (error.fieldErrors.length > 0) return error.fieldErrors.map((fe) => appointmentFieldError(t, fe)).join(' ');
  if (error.code === 'appointment.cancel_too_late') {
    const hours = numberBefore('hour', error.detail);
    return hours === null
      ? t('appointments.errors.cancelTooLateNoDelay')
      : t('appointments.errors.cancelTooLate', { count: hours });
  }
  const known = t(`appointments.errors.${error.code.replaceAll('.', '_')}` as 'appointments.errors.stale_version', {
    defaultValue: '',
  });
  return known || errorMessage(t, error);
}

export function appointmentFieldError(t: TFunction, fe: FieldError): string {
  if (fe.code === 'too_soon') {
    const hours = numberBefore('hour', fe.message);
    return hours === null
      ? t('appointments.fieldErrors.tooSoonNoDelay')
      : t('appointments.fieldErrors.tooSoon', { count: hours });
  }
  if (fe.code === 'too_far') {
    const days = numberBefore('day', fe.message);
    return days === null
      ? t('appointments.fieldErrors.tooFarNoDelay')
      : t('appointments.fieldErrors.tooFar', { count: days });
  }
  const known = t(`appointments.fieldErrors.${fe.code}` as 'appointments.fieldErrors.in_past', { defaultValue: '' });
  return known || fieldErrorMessage(t, fe);
}

/**
 * Puts the server's field errors next to the form's fields; `fields` maps the server's paths
 * ("start") to the form's ("slot"). Returns the words for the errors that match no field, or,
 * without field errors, for the problem itself (to show above the form).
 */
export function applyAppointmentErrors<T extends FieldValues>(
  t: TFunction,
  error: ApiError,
  setError: UseFormSetError<T>,
  fields: Readonly<Record<string, Path<T>>>,
): string | null {
  if (error.fieldErrors.length === 0) return appointmentErrorMessage(t, error);
  const rest: string[] = [];
  let focused = false;
  for (const fe of error.fieldErrors) {
    const field = fields[pointerToPath(fe.field)];
    if (field) {
      setError(field, { type: 'server', message: appointmentFieldError(t, fe) }, { shouldFocus: !focused });
      focused = true;
    } else {
      rest.push(appointmentFieldError(t, fe));
    }
  }
  return rest.length ? rest.join(' ') : null;
}
