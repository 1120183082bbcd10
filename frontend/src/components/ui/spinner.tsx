// SPDX-License-Identifier: Apache-2.0
// Loading indicator, announced politely to screen readers.
import { useTranslation } from 'react-i18next';

export function Spinner({ label, inline = false }: { label?: string; inline?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={inline ? 'spinner spinner--inline' : 'spinner'} role="status" aria-live="polite">
      <span className="spinner__dot" aria-hidden="true" />
      <span className={inline ? 'visually-hidden' : undefined}>{label ?? t('common.loading')}</span>
    </div>
  );
}
