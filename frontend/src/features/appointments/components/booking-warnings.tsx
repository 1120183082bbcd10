// SPDX-License-Identifier: Apache-2.0
// What the server wants known although the booking or move went through: the patient has another
// appointment at that time, or it is outside the practitioner's opening hours.
import { useTranslation } from 'react-i18next';
import { Alert } from '@/components/ui/alert';
import type { AppointmentWarning } from '../types';

export function BookingWarnings({ warnings }: { warnings: readonly AppointmentWarning[] }) {
  const { t } = useTranslation();
  if (warnings.length === 0) return null;
  return (
    <Alert tone="warning" title={t('appointments.warnings.title')}>
      <ul>
        {warnings.map((w, i) => (
          <li key={`${w.code}-${i}`}>
            {t(`appointments.warnings.${w.code}` as 'appointments.warnings.patient_overlap', {
              defaultValue: w.message,
            })}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
