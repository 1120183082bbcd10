// SPDX-License-Identifier: Apache-2.0
// The chart's banner: who this is, at a glance (name, age, sex, birth date, MRN), and the active
// allergies for those who may read them (the app passes them in from the records feature).
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '@/utils/format';
import { fullName, type Patient } from '../types';
import { useLocale } from '@/lib/i18n';

export function PatientBanner({ patient, allergies }: { patient: Patient; allergies?: ReactNode }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section className="patient-banner" aria-label={t('patients.chart')}>
      <div className="patient-banner__name">
        <span className="patient-banner__title">{fullName(patient)}</span>
        {patient.birth_name && <span className="muted"> ({patient.birth_name})</span>}
        {patient.archived && <span className="badge badge--muted">{t('patients.archived')}</span>}
      </div>
      <dl className="patient-banner__facts">
        <div>
          <dt className="visually-hidden">{t('patients.fields.sex')}</dt>
          <dd>{t(`patients.sex.${patient.sex}`)}</dd>
        </div>
        <div>
          <dt className="visually-hidden">{t('patients.fields.birth_date')}</dt>
          <dd>
            {t('patients.age', { count: patient.age })} ·{' '}
            {t('patients.born', { date: formatDate(patient.birth_date, locale) })}
          </dd>
        </div>
        <div>
          <dt>{t('patients.mrn')}</dt>
          <dd>
            <code>{patient.mrn}</code>
          </dd>
        </div>
        {allergies}
      </dl>
    </section>
  );
}
