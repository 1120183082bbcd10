// SPDX-License-Identifier: Apache-2.0
// Shows a server-generated temporary password once. It lives only in this component's props:
// closing the dialog forgets it.
import { useTranslation } from 'react-i18next';
import { CopyButton } from '@/components/ui/copy-button';
import { Dialog } from '@/components/ui/dialog';

export function TemporaryPasswordDialog({ password, onClose }: { password: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={password !== null} title={t('users.tempPasswordTitle')} onClose={onClose} dismissible={false}>
      <p>{t('users.tempPasswordBody')}</p>
      <p className="secret-box">
        <code data-testid="temporary-password">{password}</code> <CopyButton value={password ?? ''} />
      </p>
      <div className="form__actions">
        <button type="button" className="button" onClick={onClose}>
          {t('users.tempPasswordAck')}
        </button>
      </div>
    </Dialog>
  );
}
