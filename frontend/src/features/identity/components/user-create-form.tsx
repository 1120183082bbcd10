// SPDX-License-Identifier: Apache-2.0
// Creates an account. A patient account must be linked to its patient record, picked with the
// `patientPicker` the application provides (patients are another feature). Without a password
// the server generates a temporary one, shown once.
import { zodResolver } from '@hookform/resolvers/zod';
import { useState, type ReactNode } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { toast } from 'sonner';
import { z } from 'zod';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { isApiError } from '@/lib/api-error';
import { applyFieldErrors, errorMessage, fieldErrorMessage } from '@/lib/error-message';
import { emailText, msg, requiredText, validationMessage } from '@/lib/validation';
import { useCreateUser } from '../api/users';
import { roles, type Role } from '../types';
import { RoleSelect } from './role-select';
import { TemporaryPasswordDialog } from './temporary-password-dialog';

const schema = z
  .object({
    email: emailText.refine((v) => v !== '', msg('validation.required')),
    display_name: requiredText(120),
    role: z.enum(roles as [Role, ...Role[]]),
    patient_id: z.string(),
    password: z.string().max(1024, msg('validation.tooLong', { max: 1024 })),
  })
  .refine((v) => v.role !== 'patient' || v.patient_id !== '', {
    path: ['patient_id'],
    message: msg('validation.patientRequired'),
  })
  .refine((v) => v.password === '' || v.password.length >= 12, {
    path: ['password'],
    message: msg('validation.tooShort', { min: 12 }),
  });

type Input = z.infer<typeof schema>;

export type PatientPicker = (props: {
  value: string;
  onChange: (patientId: string) => void;
  error?: string | undefined;
}) => ReactNode;

export function UserCreateForm({ patientPicker }: { patientPicker: PatientPicker }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateUser();
  const [temporary, setTemporary] = useState<{ password: string; userId: string } | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Input>({
    resolver: zodResolver(schema),
    defaultValues: { email: '', display_name: '', role: 'secretary', patient_id: '', password: '' },
  });
  const { errors } = form.formState;
  const role = useWatch({ control: form.control, name: 'role' });

  const onSubmit = async (v: Input) => {
    setFormError(null);
    try {
      const created = await create.mutateAsync({
        email: v.email,
        display_name: v.display_name,
        role: v.role,
        patient_id: v.role === 'patient' ? v.patient_id : null,
        ...(v.password ? { password: v.password } : {}),
      });
      toast.success(t('users.created'));
      if (created.temporary_password) {
        setTemporary({ password: created.temporary_password, userId: created.user.id });
      } else {
        void navigate(`/admin/users/${created.user.id}`);
      }
    } catch (e) {
      if (!isApiError(e)) throw e;
      const rest = applyFieldErrors(t, e, form.setError, ['email', 'display_name', 'role', 'patient_id', 'password']);
      setFormError(
        e.fieldErrors.length === 0 ? errorMessage(t, e) : rest.map((fe) => fieldErrorMessage(t, fe)).join(' ') || null,
      );
    }
  };

  return (
    <>
      <form className="form" noValidate onSubmit={form.handleSubmit(onSubmit)}>
        {formError && <Alert tone="error">{formError}</Alert>}
        <Field label={t('users.email')} error={validationMessage(t, errors.email?.message)} required>
          <input {...form.register('email')} type="email" autoComplete="off" className="input" />
        </Field>
        <Field label={t('users.displayName')} error={validationMessage(t, errors.display_name?.message)} required>
          <input {...form.register('display_name')} autoComplete="off" className="input" />
        </Field>
        <RoleSelect registration={form.register('role')} error={validationMessage(t, errors.role?.message)} />
        {role === 'patient' && (
          <Controller
            control={form.control}
            name="patient_id"
            render={({ field }) => (
              <>
                {patientPicker({
                  value: field.value,
                  onChange: field.onChange,
                  error: validationMessage(t, errors.patient_id?.message),
                })}
              </>
            )}
          />
        )}
        <Field
          label={t('users.passwordOptional')}
          hint={t('users.passwordOptionalHint')}
          error={validationMessage(t, errors.password?.message)}
          optional
        >
          <input {...form.register('password')} type="password" autoComplete="new-password" className="input" />
        </Field>
        <div className="form__actions">
          <button type="submit" className="button" disabled={create.isPending}>
            {create.isPending ? t('common.saving') : t('users.create')}
          </button>
        </div>
      </form>
      <TemporaryPasswordDialog
        password={temporary?.password ?? null}
        onClose={() => {
          const id = temporary?.userId;
          setTemporary(null);
          if (id) void navigate(`/admin/users/${id}`);
        }}
      />
    </>
  );
}
