// SPDX-License-Identifier: Apache-2.0
// 412 on save: someone else changed the record since it was read. Offer a reload instead of
// overwriting their change.
import { useTranslation } from 'react-i18next';
import { Alert } from './ui/alert';

export function ConflictAlert({ onReload }: { onReload: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      tone="warning"
      title={t('patients.conflictTitle')}
      actions={
        <button type="button" className="button" onClick={onReload}>
          {t('patients.reload')}
        </button>
      }
    >
      {t('patients.conflictBody')}
    </Alert>
  );
}
