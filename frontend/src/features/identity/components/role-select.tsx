// SPDX-License-Identifier: Apache-2.0
// The role picker of the user forms.
import type { UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Field } from '@/components/ui/field';
import { roles } from '../types';

export function RoleSelect({
  registration,
  error,
}: {
  registration: UseFormRegisterReturn;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Field label={t('users.role')} error={error} required>
      <select {...registration} className="input">
        {roles.map((r) => (
          <option key={r} value={r}>
            {t(`roles.${r}`)}
          </option>
        ))}
      </select>
    </Field>
  );
}
