// SPDX-License-Identifier: Apache-2.0
// "Are you sure?" for an action that cannot be undone (sign, issue, withdraw…), with an optional
// body (a reason field, say) and the action's error shown inside the dialog.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from './alert';
import { Dialog } from './dialog';

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  busy = false,
  danger = false,
  error,
}: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  busy?: boolean;
  danger?: boolean;
  error?: string | null | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <div className="stack">
        {error && <Alert tone="error">{error}</Alert>}
        {children}
        <div className="form__actions">
          <button
            type="button"
            className={danger ? 'button button--danger' : 'button'}
            disabled={busy}
            onClick={onConfirm}
          >
            {busy ? t('common.saving') : confirmLabel}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
