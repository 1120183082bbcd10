// SPDX-License-Identifier: Apache-2.0
// The chart's clinical summary in one call: active allergies and problems, the latest value of
// each vital sign, active prescriptions and the last encounters the caller may see.
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorState } from '@/components/errors/error-state';
import { Spinner } from '@/components/ui/spinner';
import { useLocale } from '@/lib/i18n';
import { formatDate, formatDateTime } from '@/utils/format';
import { summaryQuery } from '../api/records';
import type { LatestVitals } from '../types';
import { formatMeasure, formatPressure, measureLabel, type Series } from './labels';
import { PrescriptionLine } from './prescription-line';

const single: Series[] = ['heart_rate_bpm', 'temperature_c', 'spo2_pct', 'weight_kg', 'height_cm', 'bmi'];

export function ClinicalSummaryView({
  patientId,
  encounterHref,
}: {
  patientId: string;
  /** Where an encounter opens (the chart's tab for staff, the portal for the patient). */
  encounterHref: (encounterId: string) => string;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const query = useQuery(summaryQuery(patientId));
  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const s = query.data;
  const none = (text: string) => <p className="empty-state">{text}</p>;

  return (
    <div className="summary-grid">
      <SummaryCard id="summary-allergies" title={t('records.summary.allergies')}>
        {s.allergies.length === 0 ? (
          none(t('records.allergies.noneRecorded'))
        ) : (
          <ul className="plain-list">
            {s.allergies.map((a) => (
              <li key={a.id}>
                <strong>{a.substance}</strong>{' '}
                <span className={`badge badge--severity-${a.severity}`}>
                  {t(`records.allergies.severity.${a.severity}`)}
                </span>
                {a.reaction && <span className="muted"> · {a.reaction}</span>}
              </li>
            ))}
          </ul>
        )}
      </SummaryCard>
      <SummaryCard id="summary-conditions" title={t('records.summary.conditions')}>
        {s.conditions.length === 0 ? (
          none(t('records.conditions.empty'))
        ) : (
          <ul className="plain-list">
            {s.conditions.map((c) => (
              <li key={c.id}>
                <code>{c.code}</code> {c.label}
                {c.onset_date && (
                  <span className="muted">
                    {' '}
                    · {t('records.conditions.since', { date: formatDate(c.onset_date, locale) })}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </SummaryCard>
      <SummaryCard id="summary-vitals" title={t('records.summary.latestVitals')}>
        <LatestVitalsList latest={s.latest_vitals} />
      </SummaryCard>
      <SummaryCard id="summary-prescriptions" title={t('records.summary.activePrescriptions')}>
        {s.prescriptions.length === 0 ? (
          none(t('records.prescriptions.noneActive'))
        ) : (
          <ul className="plain-list">
            {s.prescriptions.map((p) => (
              <li key={p.id}>
                <PrescriptionLine prescription={p} />
              </li>
            ))}
          </ul>
        )}
      </SummaryCard>
      <SummaryCard id="summary-encounters" title={t('records.summary.recentEncounters')} wide>
        {s.encounters.length === 0 ? (
          none(t('records.encounters.empty'))
        ) : (
          <ul className="plain-list">
            {s.encounters.map((e) => (
              <li key={e.id}>
                <Link to={encounterHref(e.id)}>
                  <time dateTime={e.occurred_at}>{formatDateTime(e.occurred_at, locale)}</time> · {e.reason}
                </Link>
                <span className="muted">
                  {' '}
                  · {e.author_name ?? t('records.unknownAuthor')}
                  {e.status === 'draft' && ` · ${t('records.encounters.status.draft')}`}
                </span>
              </li>
            ))}
          </ul>
        )}
      </SummaryCard>
    </div>
  );
}

function LatestVitalsList({ latest }: { latest: LatestVitals }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const sys = latest.systolic_mmhg;
  const dia = latest.diastolic_mmhg;
  const rows = single.flatMap((m) => {
    const v = latest[m];
    return v ? [{ m, label: measureLabel(t, m), value: formatMeasure(t, m, v.value, locale), at: v.taken_at }] : [];
  });
  if (!sys && rows.length === 0) return <p className="empty-state">{t('records.vitals.empty')}</p>;
  return (
    <dl className="details">
      {sys && dia && (
        <div className="details__row">
          <dt>{t('records.vitals.measures.blood_pressure')}</dt>
          <dd>
            {formatPressure(t, sys.value, dia.value, locale)}{' '}
            <span className="muted small">{formatDateTime(sys.taken_at, locale)}</span>
          </dd>
        </div>
      )}
      {rows.map((r) => (
        <div className="details__row" key={r.m}>
          <dt>{r.label}</dt>
          <dd>
            {r.value} <span className="muted small">{formatDateTime(r.at, locale)}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

function SummaryCard({
  id,
  title,
  children,
  wide,
}: {
  id: string;
  title: string;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <section className={wide ? 'card summary-card summary-card--wide' : 'card summary-card'} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
