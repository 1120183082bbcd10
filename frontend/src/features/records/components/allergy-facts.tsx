// SPDX-License-Identifier: Apache-2.0
// The banner's allergy line: every active allergy at a glance (severe ones first), or a clear
// "none recorded" — never a blank that could be read as "no allergy".
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { allergiesQuery } from '../api/records';
import type { Severity } from '../types';

const order: Record<Severity, number> = { severe: 0, moderate: 1, mild: 2 };

export function AllergyFacts({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const query = useQuery(allergiesQuery(patientId));
  const active = (query.data ?? [])
    .filter((a) => a.status === 'active')
    .sort((a, b) => order[a.severity] - order[b.severity] || a.substance.localeCompare(b.substance));
  return (
    <div className="patient-banner__allergies" data-testid="banner-allergies">
      <dt>{t('records.allergies.bannerLabel')}</dt>
      <dd>
        {query.isPending ? (
          <span className="muted">{t('common.loading')}</span>
        ) : query.isError ? (
          <span className="muted">{t('records.allergies.bannerUnavailable')}</span>
        ) : active.length === 0 ? (
          <span className="muted">{t('records.allergies.noneRecorded')}</span>
        ) : (
          <ul className="allergy-list">
            {active.map((a) => (
              <li key={a.id} className={`allergy allergy--${a.severity}`}>
                {a.substance}
                <span className="visually-hidden">, </span>
                <span className="allergy__severity"> ({t(`records.allergies.severity.${a.severity}`)})</span>
              </li>
            ))}
          </ul>
        )}
      </dd>
    </div>
  );
}
