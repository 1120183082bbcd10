// SPDX-License-Identifier: Apache-2.0
// Turns ApiError into words for the user: a known code in the user's language, else the
// server's `title` (safe to show by contract); field errors onto the form's fields.
import type { TFunction } from 'i18next';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { toast } from 'sonner';
import { pointerToPath } from '@/utils/json-pointer';
import { isApiError, type ApiError, type FieldError } from './api-error';

export function errorMessage(t: TFunction, error: unknown): string {
  if (!isApiError(error)) return t('errors.title');
  const key = `errors.codes.${error.code}`;
  const known = t(key as 'errors.title', { defaultValue: '' });
  return known || error.title || t('errors.title');
}

export function fieldErrorMessage(t: TFunction, e: FieldError): string {
  return t(`validation.server.${e.code}` as 'validation.required', { defaultValue: e.message });
}

/** Shows an error as a toast: its title only, as the style guide asks. */
export function toastError(t: TFunction, error: unknown): void {
  toast.error(errorMessage(t, error));
}

/**
 * Puts the server's field errors next to the matching fields. Returns the errors that match no
 * field (to show above the form); `fields` lists the dotted paths the form has.
 */
export function applyFieldErrors<T extends FieldValues>(
  t: TFunction,
  error: ApiError,
  setError: UseFormSetError<T>,
  fields: readonly string[],
): FieldError[] {
  const unmatched: FieldError[] = [];
  let focused = false;
  for (const fe of error.fieldErrors) {
    const path = pointerToPath(fe.field);
    if (fields.includes(path)) {
      setError(path as Path<T>, { type: 'server', message: fieldErrorMessage(t, fe) }, { shouldFocus: !focused });
      focused = true;
    } else {
      unmatched.push(fe);
    }
  }
  return unmatched;
}
