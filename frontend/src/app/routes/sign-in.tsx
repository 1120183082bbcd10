// SPDX-License-Identifier: Apache-2.0
// /sign-in: the public entry. Already signed in (a live session cookie): straight to the app.
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { LanguageSwitch } from '@/components/language-switch';
import { PageHeader } from '@/components/layout/page-header';
import { Spinner } from '@/components/ui/spinner';
import { SignInForm } from '@/features/identity/components/sign-in-form';
import { safeNextPath, useUser } from '@/lib/auth';
import { homePath } from '@/lib/authorization';

export function SignInRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const me = useUser();
  const next = safeNextPath(params.get('next'));

  if (me.data) return <Navigate to={next ?? homePath(me.data.role)} replace />;

  return (
    <div className="auth-page">
      <div className="auth-page__top">
        <LanguageSwitch />
      </div>
      <main id="main" className="auth-card">
        <p className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            +
          </span>
          {t('common.appName')}
        </p>
        <PageHeader title={t('auth.signInTitle')}>
          <p className="muted">{t('auth.signInIntro')}</p>
        </PageHeader>
        {me.isPending ? (
          <Spinner />
        ) : (
          <SignInForm
            onSignedIn={(signIn) => {
              if (signIn.totp_enrolment_required) void navigate('/enrol', { replace: true });
              else void navigate(next ?? homePath(signIn.user.role), { replace: true });
            }}
          />
        )}
      </main>
    </div>
  );
}
