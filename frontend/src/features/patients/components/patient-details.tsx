// SPDX-License-Identifier: Apache-2.0
// Read-only demographics, grouped as in the form. Fields the caller's role does not receive
// (accountants get fewer) are simply absent.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '@/utils/format';
import type { Patient } from '../types';
import { useLocale } from '@/lib/i18n';

export function PatientDetails({ patient, scope = 'full' }: { patient: Patient; scope?: 'full' | 'contact' }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const none = t('common.none');
  const a = patient.address;
  const e = patient.emergency_contact;
  const ins = patient.insurance;
  const languageNames = new Intl.DisplayNames([locale], { type: 'language' });
  const row = (label: string, value: ReactNode) => (
    <div className="details__row" key={label}>
      <dt>{label}</dt>
      <dd>{value === null || value === undefined || value === '' ? none : value}</dd>
    </div>
  );
  return (
    <div className="details-grid">
      {scope === 'full' && (
        <section className="card" aria-labelledby="details-identity">
          <h2 id="details-identity">{t('patients.sections.identity')}</h2>
          <dl className="details">
            {row(t('patients.fields.last_name'), patient.last_name)}
            {row(t('patients.fields.first_name'), patient.first_name)}
            {row(t('patients.fields.birth_name'), patient.birth_name)}
            {row(t('patients.fields.sex'), t(`patients.sex.${patient.sex}`))}
            {row(t('patients.fields.birth_date'), formatDate(patient.birth_date, locale))}
            {row(t('patients.fields.birth_place_code'), patient.birth_place_code)}
            {row(t('patients.fields.nir'), patient.nir)}
            {patient.identity_status &&
              row(t('patients.fields.identity_status'), t(`patients.identityStatus.${patient.identity_status}`))}
            {row(t('patients.mrn'), <code>{patient.mrn}</code>)}
          </dl>
        </section>
      )}
      <section className="card" aria-labelledby="details-contact">
        <h2 id="details-contact">{t('patients.sections.contact')}</h2>
        <dl className="details">
          {row(t('patients.fields.email'), patient.email)}
          {row(t('patients.fields.phone'), patient.phone)}
          {patient.preferred_language &&
            row(t('patients.fields.preferred_language'), languageNames.of(patient.preferred_language))}
          {row(
            t('patients.sections.address'),
            [a.line1, a.line2, [a.postal_code, a.city].filter(Boolean).join(' '), a.country].filter(Boolean).join(', '),
          )}
          {e &&
            row(
              t('patients.sections.emergency'),
              [e.name, e.relationship && `(${e.relationship})`, e.phone].filter(Boolean).join(' '),
            )}
        </dl>
      </section>
      {scope === 'full' && (
        <section className="card" aria-labelledby="details-insurance">
          <h2 id="details-insurance">{t('patients.sections.insurance')}</h2>
          <dl className="details">
            {row(t('patients.fields.amo_number'), ins.amo_number)}
            {row(t('patients.fields.amo_fund'), ins.amo_fund)}
            {row(t('patients.fields.amc_name'), ins.amc_name)}
            {row(t('patients.fields.amc_number'), ins.amc_number)}
          </dl>
          <p className="muted small">
            {t('patients.createdAt', { date: formatDateTime(patient.created_at, locale) })} ·{' '}
            {t('patients.updatedAt', { date: formatDateTime(patient.updated_at, locale) })}
          </p>
        </section>
      )}
    </div>
  );
}
