// SPDX-License-Identifier: Apache-2.0
// Changes one's own password. The server applies the policy (length, common passwords, no name
// or e-mail inside) and reports by field; the form checks length and confirmation first.
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { z } from 'zod';
import { Field } from '@/components/ui/field';
import { isApiError } from '@/lib/api-error';
import { applyFieldErrors, fieldErrorMessage, toastError } from '@/lib/error-message';
import { msg, validationMessage } from '@/lib/validation';
import { useChangePassword } from '../api/auth';

const MIN_PASSWORD = 12;

const schema = z
  .object({
    current_password: z.string().min(1, msg('validation.required')),
    new_password: z
      .string()
      .min(MIN_PASSWORD, msg('validation.tooShort', { min: MIN_PASSWORD }))
      .max(1024, msg('validation.tooLong', { max: 1024 })),
    confirm: z.string(),
  })
  .refine((v) => v.new_password === v.confirm, { path: ['confirm'], message: msg('validation.passwordMismatch') });

type Input = z.infer<typeof schema>;

export function ChangePasswordForm() {
  const { t } = useTranslation();
  const change = useChangePassword();
  const form = useForm<Input>({
    resolver: zodResolver(schema),
    defaultValues: { current_password: '', new_password: '', confirm: '' },
  });
  const { errors } = form.formState;

  const onSubmit = async (v: Input) => {
    try {
      await change.mutateAsync({ current_password: v.current_password, new_password: v.new_password });
      form.reset();
      toast.success(t('account.passwordChanged'));
    } catch (e) {
      if (!isApiError(e)) throw e;
      const rest = applyFieldErrors(t, e, form.setError, ['current_password', 'new_password']);
      if (e.fieldErrors.length === 0) toastError(t, e);
      rest.forEach((fe) => toast.error(fieldErrorMessage(t, fe)));
    }
  };

  return (
    <form className="form" noValidate onSubmit={form.handleSubmit(onSubmit)}>
      <input type="hidden" autoComplete="username" />
      <Field
        label={t('account.currentPassword')}
        error={validationMessage(t, errors.current_password?.message)}
        required
      >
        <input
          {...form.register('current_password')}
          type="password"
          autoComplete="current-password"
          className="input"
        />
      </Field>
      <Field
        label={t('account.newPassword')}
        hint={t('account.passwordHint')}
        error={validationMessage(t, errors.new_password?.message)}
        required
      >
        <input {...form.register('new_password')} type="password" autoComplete="new-password" className="input" />
      </Field>
      <Field label={t('account.confirmPassword')} error={validationMessage(t, errors.confirm?.message)} required>
        <input {...form.register('confirm')} type="password" autoComplete="new-password" className="input" />
      </Field>
      <div className="form__actions">
        <button type="submit" className="button" disabled={change.isPending}>
          {change.isPending ? t('common.saving') : t('account.changePassword')}
        </button>
      </div>
    </form>
  );
}
