// SPDX-License-Identifier: Apache-2.0
// Marks a screen whose server module does not exist yet, so nobody mistakes it for a working one.
import { useTranslation } from 'react-i18next';
import { Alert } from './ui/alert';

export type Module = 'appointments' | 'records' | 'documents' | 'billing';

export function ComingSoon({ module }: { module: Module }) {
  const { t } = useTranslation();
  return (
    <Alert tone="info" title={t('common.comingSoonTitle')}>
      {t('common.comingSoonBody', { module: t(`common.modules.${module}`) })}
    </Alert>
  );
}
