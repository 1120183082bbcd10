// SPDX-License-Identifier: Apache-2.0
// /account (every role): password and second factor. /enrol: the enrolment an account must
// complete before anything else when its role requires a second factor.
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { toast } from 'sonner';
import { LanguageSwitch } from '@/components/language-switch';
import { PageHeader } from '@/components/layout/page-header';
import { Spinner } from '@/components/ui/spinner';
import { ChangePasswordForm } from '@/features/identity/components/change-password-form';
import { TotpDisableForm } from '@/features/identity/components/totp-disable-form';
import { TotpSetup } from '@/features/identity/components/totp-setup';
import { isApiError } from '@/lib/api-error';
import { signOut, useUser } from '@/lib/auth';
import { homePath } from '@/lib/authorization';

export function AccountRoute() {
  const { t } = useTranslation();
  const { data: user } = useUser();
  if (!user) return <Spinner />;
  return (
    <>
      <PageHeader title={t('account.title')}>
        <p className="muted">
          {user.display_name} · {user.email} · {t(`roles.${user.role}`)}
        </p>
      </PageHeader>
      <section className="card" aria-labelledby="account-password">
        <h2 id="account-password">{t('account.passwordTitle')}</h2>
        <ChangePasswordForm />
      </section>
      <section className="card" aria-labelledby="account-totp">
        <h2 id="account-totp">{t('account.totpTitle')}</h2>
        <p>
          <span className={user.totp_enabled ? 'badge badge--ok' : 'badge badge--muted'}>
            {user.totp_enabled ? t('account.totpOn') : t('account.totpOff')}
          </span>
        </p>
        {user.totp_enabled ? (
          <TotpDisableForm />
        ) : (
          <TotpSetup onEnabled={() => toast.success(t('account.totpEnabled'))} />
        )}
      </section>
    </>
  );
}

export function ForcedEnrolment() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useUser();
  if (me.isPending) return <Spinner />;
  if (isApiError(me.error) && me.error.isUnauthenticated) return <Navigate to="/sign-in" replace />;
  if (!me.data) return <Navigate to="/" replace />;
  const user = me.data;
  return (
    <div className="auth-page">
      <div className="auth-page__top">
        <LanguageSwitch />
      </div>
      <main id="main" className="auth-card auth-card--wide">
        <PageHeader title={t('account.forcedTitle')}>
          <p>{t('account.forcedIntro')}</p>
        </PageHeader>
        <TotpSetup
          onEnabled={() => {
            toast.success(t('account.totpEnabled'));
            void navigate(homePath(user.role), { replace: true });
          }}
        />
        <div className="form__actions">
          <button
            type="button"
            className="button button--link"
            onClick={() => void signOut(queryClient).then(() => navigate('/sign-in', { replace: true }))}
          >
            {t('common.signOut')}
          </button>
        </div>
      </main>
    </div>
  );
}
