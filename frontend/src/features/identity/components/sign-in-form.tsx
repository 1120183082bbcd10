// SPDX-License-Identifier: Apache-2.0
// Sign-in in two steps: e-mail and password, then the authenticator code when the account has a
// second factor (the server answers 401 totp_required). Lockouts (429) say how long to wait.
import { zodResolver } from '@hookform/resolvers/zod';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { isApiError, type ApiError } from '@/lib/api-error';
import { errorMessage } from '@/lib/error-message';
import { msg, requiredText, totpCode, validationMessage } from '@/lib/validation';
import { useLogin, type Credentials } from '../api/auth';
import type { SignIn } from '../types';
import { TotpCodeField } from './totp-code-field';

const credentialsSchema = z.object({
  email: requiredText(254),
  password: z.string().min(1, msg('validation.required')),
});
const totpSchema = z.object({ code: totpCode });

type CredentialsInput = z.infer<typeof credentialsSchema>;

export function SignInForm({
  onSignedIn,
  defaultEmail = '',
}: {
  onSignedIn: (signIn: SignIn) => void;
  defaultEmail?: string;
}) {
  const { t } = useTranslation();
  const login = useLogin();
  // Kept in memory only for the second step; never stored.
  const [pending, setPending] = useState<Credentials | null>(null);
  const [step, setStep] = useState<'credentials' | 'totp'>('credentials');
  const [failure, setFailure] = useState<ApiError | null>(null);

  const credentials = useForm<CredentialsInput>({
    resolver: zodResolver(credentialsSchema),
    defaultValues: { email: defaultEmail, password: '' },
  });
  const totp = useForm<{ code: string }>({ resolver: zodResolver(totpSchema), defaultValues: { code: '' } });

  const attempt = async (body: Credentials) => {
    setFailure(null);
    try {
      const signIn = await login.mutateAsync(body);
      setPending(null);
      onSignedIn(signIn);
    } catch (e) {
      if (isApiError(e) && e.code === 'totp_required') {
        setPending({ email: body.email, password: body.password });
        setStep('totp');
        return;
      }
      if (isApiError(e)) setFailure(e);
      else throw e;
      if (isApiError(e) && e.code === 'invalid_totp') totp.reset({ code: '' });
    }
  };

  const failureText = failure ? describeFailure(t, failure) : null;

  if (step === 'totp') {
    return (
      <form
        className="form"
        noValidate
        onSubmit={totp.handleSubmit(({ code }) => (pending ? attempt({ ...pending, totp_code: code }) : undefined))}
      >
        <h2 className="form__title">{t('auth.totpTitle')}</h2>
        <p>{t('auth.totpIntro')}</p>
        {failureText && <Alert tone="error">{failureText}</Alert>}
        <TotpCodeField
          registration={totp.register('code')}
          error={validationMessage(t, totp.formState.errors.code?.message)}
          autoFocus
        />
        <div className="form__actions">
          <button type="submit" className="button" disabled={login.isPending}>
            {login.isPending ? t('auth.signingIn') : t('auth.verify')}
          </button>
          <button
            type="button"
            className="button button--link"
            onClick={() => {
              setPending(null);
              setFailure(null);
              credentials.setValue('password', '');
              setStep('credentials');
            }}
          >
            {t('auth.otherAccount')}
          </button>
        </div>
      </form>
    );
  }

  return (
    <form className="form" noValidate onSubmit={credentials.handleSubmit((v) => attempt(v))}>
      {failureText && <Alert tone="error">{failureText}</Alert>}
      <Field label={t('auth.email')} error={validationMessage(t, credentials.formState.errors.email?.message)} required>
        <input
          {...credentials.register('email')}
          type="email"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          className="input"
        />
      </Field>
      <Field
        label={t('auth.password')}
        error={validationMessage(t, credentials.formState.errors.password?.message)}
        required
      >
        <input
          {...credentials.register('password')}
          type="password"
          autoComplete="current-password"
          className="input"
        />
      </Field>
      <div className="form__actions">
        <button type="submit" className="button" disabled={login.isPending}>
          {login.isPending ? t('auth.signingIn') : t('auth.submit')}
        </button>
      </div>
    </form>
  );
}

function describeFailure(t: TFunction, e: ApiError): string {
  if (e.status === 429) {
    return e.retryAfter
      ? t('auth.locked', { minutes: Math.max(1, Math.ceil(e.retryAfter / 60)) })
      : t('auth.lockedNoDelay');
  }
  return errorMessage(t, e);
}
