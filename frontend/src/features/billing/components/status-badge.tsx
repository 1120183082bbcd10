// SPDX-License-Identifier: Apache-2.0
// An invoice's status in words and colour.
import { useTranslation } from 'react-i18next';
import type { InvoiceStatus } from '../types';

const tone: Record<InvoiceStatus, string> = {
  draft: 'badge badge--muted',
  issued: 'badge badge--warning',
  partially_paid: 'badge badge--warning',
  paid: 'badge badge--ok',
  cancelled: 'badge badge--muted',
};

export function StatusBadge({ status }: { status: InvoiceStatus }) {
  const { t } = useTranslation();
  return <span className={tone[status]}>{t(`billing.status.${status}`)}</span>;
}
