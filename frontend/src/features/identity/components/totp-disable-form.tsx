// SPDX-License-Identifier: Apache-2.0
// Turns the second factor off after confirming the password (refused for administrators when
// the practice makes it mandatory: the server's message says so).
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { z } from 'zod';
import { Field } from '@/components/ui/field';
import { isApiError } from '@/lib/api-error';
import { applyFieldErrors, toastError } from '@/lib/error-message';
import { msg, validationMessage } from '@/lib/validation';
import { useTotpDisable } from '../api/auth';

const schema = z.object({ password: z.string().min(1, msg('validation.required')) });

export function TotpDisableForm() {
  const { t } = useTranslation();
  const disable = useTotpDisable();
  const form = useForm<{ password: string }>({ resolver: zodResolver(schema), defaultValues: { password: '' } });

  const onSubmit = async ({ password }: { password: string }) => {
    try {
      await disable.mutateAsync(password);
      form.reset();
      toast.success(t('account.totpDisabled'));
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (applyFieldErrors(t, e, form.setError, ['password']).length > 0 || e.fieldErrors.length === 0) {
        toastError(t, e);
      }
    }
  };

  return (
    <form className="form form--inline" noValidate onSubmit={form.handleSubmit(onSubmit)}>
      <Field
        label={t('account.totpDisablePassword')}
        error={validationMessage(t, form.formState.errors.password?.message)}
        required
      >
        <input {...form.register('password')} type="password" autoComplete="current-password" className="input" />
      </Field>
      <div className="form__actions">
        <button type="submit" className="button button--danger" disabled={disable.isPending}>
          {t('account.totpDisable')}
        </button>
      </div>
    </form>
  );
}
