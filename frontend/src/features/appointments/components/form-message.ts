// SPDX-License-Identifier: Apache-2.0
// Form messages: schema messages are translation keys (the shared "validation." ones, or this
// context's "appointments." ones); server messages arrive already in words.
import type { TFunction } from 'i18next';
import { validationMessage } from '@/lib/validation';

export function formMessage(t: TFunction, message: string | undefined): string | undefined {
  if (message?.startsWith('appointments.')) return t(message as 'appointments.validation.patientRequired');
  return validationMessage(t, message);
}
