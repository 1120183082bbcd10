// SPDX-License-Identifier: Apache-2.0
// TOTP enrolment: asks the server for a secret, shows it as a QR code (rendered locally as SVG:
// the secret never leaves the page) and as text, then confirms with a first code.
import { zodResolver } from '@hookform/resolvers/zod';
import { QRCodeSVG } from 'qrcode.react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Alert } from '@/components/ui/alert';
import { CopyButton } from '@/components/ui/copy-button';
import { isApiError } from '@/lib/api-error';
import { errorMessage } from '@/lib/error-message';
import { totpCode, validationMessage } from '@/lib/validation';
import { useTotpConfirm, useTotpEnroll } from '../api/auth';
import { TotpCodeField } from './totp-code-field';

const schema = z.object({ code: totpCode });

export function TotpSetup({ onEnabled }: { onEnabled: () => void }) {
  const { t } = useTranslation();
  const enroll = useTotpEnroll();
  const confirm = useTotpConfirm();
  const form = useForm<{ code: string }>({ resolver: zodResolver(schema), defaultValues: { code: '' } });

  if (!enroll.data) {
    return (
      <div className="stack">
        {enroll.error && <Alert tone="error">{errorMessage(t, enroll.error)}</Alert>}
        <div>
          <button type="button" className="button" disabled={enroll.isPending} onClick={() => enroll.mutate()}>
            {t('account.totpStart')}
          </button>
        </div>
      </div>
    );
  }

  const { otpauth_uri, secret } = enroll.data;
  const onSubmit = async ({ code }: { code: string }) => {
    try {
      await confirm.mutateAsync(code);
      onEnabled();
    } catch (e) {
      if (!isApiError(e)) throw e;
      form.setError('code', { type: 'server', message: errorMessage(t, e) }, { shouldFocus: true });
    }
  };

  return (
    <div className="totp-setup">
      <p>{t('account.totpScan')}</p>
      <div className="totp-setup__qr">
        <QRCodeSVG value={otpauth_uri} size={192} marginSize={2} role="img" aria-label={t('account.totpQrLabel')} />
      </div>
      <p>{t('account.totpSecret')}</p>
      <p className="totp-setup__secret">
        <code data-testid="totp-secret">{secret.replace(/(.{4})/g, '$1 ').trim()}</code> <CopyButton value={secret} />
      </p>
      <form className="form" noValidate onSubmit={form.handleSubmit(onSubmit)}>
        <TotpCodeField
          registration={form.register('code')}
          error={validationMessage(t, form.formState.errors.code?.message)}
        />
        <div className="form__actions">
          <button type="submit" className="button" disabled={confirm.isPending}>
            {t('account.totpConfirm')}
          </button>
        </div>
      </form>
    </div>
  );
}
