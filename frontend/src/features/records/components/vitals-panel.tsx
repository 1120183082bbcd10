// SPDX-License-Identifier: Apache-2.0
// The vitals tab: the entry form (nurses and doctors), each measure over time as a chart (its
// library loaded with the chart only), and every record in a table, which is also the chart's
// text alternative.
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AsyncContent } from '@/components/async-content';
import { Spinner } from '@/components/ui/spinner';
import { useLocale } from '@/lib/i18n';
import { formatDateTime } from '@/utils/format';
import { vitalsQuery } from '../api/records';
import type { Vitals } from '../types';
import { formatMeasure, formatPressure, measureLabel } from './labels';
import type { ChartSeries } from './vitals-chart';
import { VitalsForm } from './vitals-form';

const VitalsChart = lazy(() => import('./vitals-chart'));

const chartSeries: ChartSeries[] = [
  'blood_pressure',
  'heart_rate_bpm',
  'temperature_c',
  'weight_kg',
  'bmi',
  'spo2_pct',
  'height_cm',
];

export function latestHeight(vitals: readonly Vitals[]): number | null {
  for (let i = vitals.length - 1; i >= 0; i--) {
    const h = vitals[i]!.height_cm;
    if (h !== null) return h;
  }
  return null;
}

function hasPoint(v: Vitals, s: ChartSeries): boolean {
  return s === 'blood_pressure' ? v.systolic_mmhg !== null : v[s] !== null;
}

export function VitalsPanel({ patientId, canRecord }: { patientId: string; canRecord: boolean }) {
  const { t } = useTranslation();
  const query = useQuery(vitalsQuery(patientId));
  const vitals = query.data ?? [];
  return (
    <div className="stack">
      {canRecord && (
        <section className="card" aria-labelledby="vitals-form-title">
          <h2 id="vitals-form-title">{t('records.vitals.formTitle')}</h2>
          <VitalsForm patientId={patientId} latestHeightCm={latestHeight(vitals)} />
        </section>
      )}
      <AsyncContent query={query} isEmpty={vitals.length === 0} empty={t('records.vitals.empty')}>
        <VitalsTrend vitals={vitals} />
        <section className="card" aria-labelledby="vitals-table-title">
          <h2 id="vitals-table-title">{t('records.vitals.history')}</h2>
          <VitalsTable vitals={vitals} />
        </section>
      </AsyncContent>
    </div>
  );
}

function VitalsTrend({ vitals }: { vitals: Vitals[] }) {
  const { t } = useTranslation();
  const id = useId();
  const [series, setSeries] = useState<ChartSeries>('blood_pressure');
  const label = (s: ChartSeries) =>
    s === 'blood_pressure' ? t('records.vitals.measures.blood_pressure') : measureLabel(t, s);
  const points = vitals.filter((v) => hasPoint(v, series)).length;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('records.vitals.trend')}</h2>
      <fieldset className="segmented">
        <legend className="visually-hidden">{t('records.vitals.chooseMeasure')}</legend>
        {chartSeries.map((s) => (
          <label key={s} className={s === series ? 'segmented__option segmented__option--on' : 'segmented__option'}>
            <input type="radio" name={`${id}-series`} value={s} checked={s === series} onChange={() => setSeries(s)} />
            {label(s)}
          </label>
        ))}
      </fieldset>
      <figure className="chart" aria-labelledby={`${id}-caption`}>
        <figcaption id={`${id}-caption`} className="visually-hidden">
          {t('records.vitals.chartCaption', { measure: label(series), count: points })}
        </figcaption>
        {points === 0 ? (
          <p className="empty-state">{t('records.vitals.noPoints', { measure: label(series) })}</p>
        ) : (
          <Suspense fallback={<Spinner label={t('records.vitals.chartLoading')} />}>
            <VitalsChart vitals={vitals} series={series} />
          </Suspense>
        )}
      </figure>
    </section>
  );
}

export function VitalsTable({ vitals }: { vitals: readonly Vitals[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const cell = (v: Vitals, m: 'heart_rate_bpm' | 'temperature_c' | 'weight_kg' | 'height_cm' | 'bmi' | 'spo2_pct') =>
    v[m] === null ? t('common.none') : formatMeasure(t, m, v[m], locale);
  const newestFirst = [...vitals].reverse();
  return (
    <div className="table-wrap">
      <table className="table table--dense">
        <caption className="visually-hidden">{t('records.vitals.history')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('records.vitals.takenAt')}</th>
            <th scope="col">{t('records.vitals.measures.blood_pressure')}</th>
            <th scope="col">{measureLabel(t, 'heart_rate_bpm')}</th>
            <th scope="col">{measureLabel(t, 'temperature_c')}</th>
            <th scope="col">{measureLabel(t, 'weight_kg')}</th>
            <th scope="col">{measureLabel(t, 'height_cm')}</th>
            <th scope="col">{measureLabel(t, 'bmi')}</th>
            <th scope="col">{measureLabel(t, 'spo2_pct')}</th>
            <th scope="col">{t('records.vitals.note')}</th>
            <th scope="col">{t('records.vitals.recordedBy')}</th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((v) => (
            <tr key={v.id}>
              <td>
                <time dateTime={v.taken_at}>{formatDateTime(v.taken_at, locale)}</time>
              </td>
              <td>
                {v.systolic_mmhg !== null && v.diastolic_mmhg !== null
                  ? formatPressure(t, v.systolic_mmhg, v.diastolic_mmhg, locale)
                  : t('common.none')}
              </td>
              <td>{cell(v, 'heart_rate_bpm')}</td>
              <td>{cell(v, 'temperature_c')}</td>
              <td>{cell(v, 'weight_kg')}</td>
              <td>{cell(v, 'height_cm')}</td>
              <td>{cell(v, 'bmi')}</td>
              <td>{cell(v, 'spo2_pct')}</td>
              <td>{v.note ?? t('common.none')}</td>
              <td>
                {v.recorded_by_name ?? t('records.unknownAuthor')}
                <span className="muted small">
                  {' '}
                  · {t(`roles.${v.recorded_role}` as 'roles.nurse', { defaultValue: v.recorded_role })}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
