// SPDX-License-Identifier: Apache-2.0
// One drug line as the ordonnance reads it: drug, dose, route, frequency, duration, instructions;
// with its prescriber and date, and its status when it is no longer active.
import { useTranslation } from 'react-i18next';
import { useLocale } from '@/lib/i18n';
import { formatDateTime } from '@/utils/format';
import type { Prescription } from '../types';

export function PrescriptionLine({
  prescription: p,
  showStatus = true,
}: {
  prescription: Prescription;
  showStatus?: boolean;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <span className="prescription-line">
      <strong>{p.drug}</strong> — {p.dose}, {t(`records.prescriptions.route.${p.route}`)}, {p.frequency},{' '}
      {t('records.prescriptions.forDuration', { duration: p.duration })}
      {p.instructions && <span className="muted"> · {p.instructions}</span>}
      {showStatus && p.status !== 'active' && (
        <span className="badge badge--muted"> {t(`records.prescriptions.status.${p.status}`)}</span>
      )}
      {p.prescribed_at && (
        <span className="muted small">
          {' '}
          · {p.prescriber_name ?? t('records.unknownAuthor')}, {formatDateTime(p.prescribed_at, locale)}
        </span>
      )}
    </span>
  );
}
