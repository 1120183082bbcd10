// SPDX-License-Identifier: Apache-2.0
// One account: name, role and status, plus the credential resets (new temporary password shown
// once; second factor reset). Every change sends the ETag read with the account (If-Match).
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { z } from 'zod';
import { ConflictAlert } from '@/components/conflict-alert';
import { ErrorState } from '@/components/errors/error-state';
import { PageHeader } from '@/components/layout/page-header';
import { Dialog } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { isApiError } from '@/lib/api-error';
import { applyFieldErrors, toastError } from '@/lib/error-message';
import { requiredText, validationMessage } from '@/lib/validation';
import { useLocale } from '@/lib/i18n';
import { formatDateTime } from '@/utils/format';
import { userQuery, useUpdateUser } from '../api/users';
import { roles, type Role, type User, type UserChanges } from '../types';
import { RoleSelect } from './role-select';
import { TemporaryPasswordDialog } from './temporary-password-dialog';

const schema = z.object({
  display_name: requiredText(120),
  role: z.enum(roles as [Role, ...Role[]]),
  active: z.boolean(),
});
type Input = z.infer<typeof schema>;

export function UserEdit({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const query = useQuery(userQuery(userId));
  // Above the keyed form: a save remounts the form, the password must survive it.
  const [temporary, setTemporary] = useState<string | null>(null);
  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <>
      <UserEditLoaded
        // A new version (after a save or a reload) starts the form afresh from it.
        key={query.data.etag}
        user={query.data.user}
        etag={query.data.etag}
        onReload={() => void query.refetch()}
        onTemporaryPassword={setTemporary}
        title={t('users.editTitle', { name: query.data.user.display_name })}
      />
      <TemporaryPasswordDialog password={temporary} onClose={() => setTemporary(null)} />
    </>
  );
}

function UserEditLoaded({
  user,
  etag,
  onReload,
  onTemporaryPassword,
  title,
}: {
  user: User;
  etag: string;
  onReload: () => void;
  onTemporaryPassword: (password: string) => void;
  title: string;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const update = useUpdateUser(user.id);
  const [conflict, setConflict] = useState(false);
  const [confirming, setConfirming] = useState<'password' | 'totp' | null>(null);
  const form = useForm<Input>({
    resolver: zodResolver(schema),
    defaultValues: { display_name: user.display_name, role: user.role, active: user.active },
  });
  const { errors, dirtyFields } = form.formState;

  const send = async (changes: UserChanges) => {
    try {
      return await update.mutateAsync({ changes, etag });
    } catch (e) {
      if (isApiError(e) && e.status === 412) setConflict(true);
      throw e;
    }
  };

  const onSubmit = async (v: Input) => {
    const changes: UserChanges = {};
    if (dirtyFields.display_name) changes.display_name = v.display_name;
    if (dirtyFields.role) changes.role = v.role;
    if (dirtyFields.active) changes.active = v.active;
    if (Object.keys(changes).length === 0) {
      toast.info(t('patients.noChanges'));
      return;
    }
    try {
      await send(changes);
      toast.success(t('users.saved'));
    } catch (e) {
      if (!isApiError(e) || e.status === 412) return;
      if (
        applyFieldErrors(t, e, form.setError, ['display_name', 'role', 'active']).length > 0 ||
        e.fieldErrors.length === 0
      ) {
        toastError(t, e);
      }
    }
  };

  const reset = async (what: 'password' | 'totp') => {
    setConfirming(null);
    try {
      const result = await send(what === 'password' ? { reset_password: true } : { reset_totp: true });
      if (what === 'password' && result.temporary_password) onTemporaryPassword(result.temporary_password);
      if (what === 'totp') toast.success(t('users.totpWasReset'));
    } catch (e) {
      if (!isApiError(e) || e.status !== 412) toastError(t, e);
    }
  };

  return (
    <>
      <PageHeader title={title}>
        <p className="muted">
          {user.email} · {t(`roles.${user.role}`)} ·{' '}
          {t('patients.updatedAt', { date: formatDateTime(user.updated_at, locale) })}
        </p>
      </PageHeader>
      {conflict && <ConflictAlert onReload={onReload} />}
      <section className="card" aria-labelledby="user-profile">
        <h2 id="user-profile">{t('account.profile')}</h2>
        <form className="form" noValidate onSubmit={form.handleSubmit(onSubmit)}>
          <Field label={t('users.displayName')} error={validationMessage(t, errors.display_name?.message)} required>
            <input {...form.register('display_name')} className="input" autoComplete="off" />
          </Field>
          <RoleSelect registration={form.register('role')} error={validationMessage(t, errors.role?.message)} />
          <div className="field field--checkbox">
            <input id="user-active" type="checkbox" {...form.register('active')} />
            <label htmlFor="user-active">{t('users.accountActive')}</label>
          </div>
          {user.patient_id && (
            <p className="muted">
              {t('users.linkedPatient')} : <code>{user.patient_id}</code>
            </p>
          )}
          <div className="form__actions">
            <button type="submit" className="button" disabled={update.isPending || conflict}>
              {update.isPending ? t('common.saving') : t('common.save')}
            </button>
          </div>
        </form>
      </section>
      <section className="card" aria-labelledby="user-security">
        <h2 id="user-security">{t('users.dangerZone')}</h2>
        <p>
          {t('users.totp')} : {user.totp_enabled ? t('account.totpOn') : t('account.totpOff')}
        </p>
        <div className="button-row">
          <button
            type="button"
            className="button button--secondary"
            disabled={conflict}
            onClick={() => setConfirming('password')}
          >
            {t('users.resetPassword')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            disabled={conflict || !user.totp_enabled}
            onClick={() => setConfirming('totp')}
          >
            {t('users.resetTotp')}
          </button>
        </div>
      </section>
      <Dialog
        open={confirming !== null}
        title={confirming === 'totp' ? t('users.resetTotp') : t('users.resetPassword')}
        onClose={() => setConfirming(null)}
      >
        <p>{confirming === 'totp' ? t('users.resetTotpConfirm') : t('users.resetPasswordConfirm')}</p>
        <div className="form__actions">
          <button type="button" className="button button--danger" onClick={() => confirming && void reset(confirming)}>
            {t('users.confirm')}
          </button>
          <button type="button" className="button button--secondary" onClick={() => setConfirming(null)}>
            {t('common.cancel')}
          </button>
        </div>
      </Dialog>
    </>
  );
}
