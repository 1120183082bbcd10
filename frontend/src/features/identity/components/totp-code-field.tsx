// SPDX-License-Identifier: Apache-2.0
// The six-digit authenticator code input (numeric keypad on tablets, one-time-code autofill).
import type { UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Field } from '@/components/ui/field';

export function TotpCodeField({
  registration,
  error,
  autoFocus = false,
}: {
  registration: UseFormRegisterReturn;
  error?: string | undefined;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Field label={t('auth.totpCode')} error={error} required>
      <input
        {...registration}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        // Shown when a step replaces the form the user was in: focus must land in its only field.
        // eslint-disable-next-line jsx-a11y/no-autofocus
        autoFocus={autoFocus}
        className="input input--code"
      />
    </Field>
  );
}
