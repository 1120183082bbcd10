// SPDX-License-Identifier: Apache-2.0
// An appointment's status in words (never by colour alone).
import { useTranslation } from 'react-i18next';
import type { AppointmentStatus } from '../types';

export function StatusBadge({ status }: { status: AppointmentStatus }) {
  const { t } = useTranslation();
  return <span className={`badge appt-status appt-status--${status}`}>{t(`appointments.status.${status}`)}</span>;
}

/** A type's colour as a small square beside its name. */
export function TypeSwatch({ color }: { color: string }) {
  return <span className="type-swatch" style={{ background: color }} aria-hidden="true" />;
}
