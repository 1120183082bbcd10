// SPDX-License-Identifier: Apache-2.0
// A doctor's day: their appointments in time order, each with the patient (a link to the chart),
// the type, the status, and its details (check in, complete, move, cancel). A day is a list, not
// a grid: what a doctor needs between two patients is who comes next.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AsyncContent } from '@/components/async-content';
import { useLocale } from '@/lib/i18n';
import { addDays, formatDayHeading, formatZonedTime, todayIn } from '@/utils/time-zone';
import { appointmentListQuery } from '../api/appointments';
import { patientName } from '../types';
import { AppointmentDialog } from './appointment-dialog';
import { StatusBadge, TypeSwatch } from './status-badge';

export function DayAgenda({
  practitionerId,
  date,
  onDateChange,
  chartHref,
}: {
  practitionerId: string;
  date: string;
  onDateChange: (date: string) => void;
  chartHref: (patientId: string) => string;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const list = useQuery(appointmentListQuery({ practitionerId, date, view: 'day' }));
  const [openId, setOpenId] = useState<string | null>(null);
  const timeZone = list.data?.time_zone ?? 'Europe/Paris';
  const items = [...(list.data?.items ?? [])].sort((a, b) => a.start.localeCompare(b.start));
  const opened = items.find((a) => a.id === openId) ?? null;
  const heading = formatDayHeading(date, locale);

  return (
    <div className="stack">
      <div className="button-row">
        <button
          type="button"
          className="button button--secondary"
          aria-label={t('appointments.calendar.previousDay')}
          onClick={() => onDateChange(addDays(date, -1))}
        >
          <span aria-hidden="true">‹</span>
        </button>
        <button type="button" className="button button--secondary" onClick={() => onDateChange(todayIn(timeZone))}>
          {t('appointments.calendar.today')}
        </button>
        <button
          type="button"
          className="button button--secondary"
          aria-label={t('appointments.calendar.nextDay')}
          onClick={() => onDateChange(addDays(date, 1))}
        >
          <span aria-hidden="true">›</span>
        </button>
        <h2 className="day-agenda__date">{heading}</h2>
      </div>
      <AsyncContent query={list} isEmpty={items.length === 0} empty={t('appointments.day.empty')}>
        <ol className="day-agenda" aria-label={t('appointments.day.listLabel', { day: heading })}>
          {items.map((a) => (
            <li
              key={a.id}
              className={`day-agenda__item cal-appt--${a.status}`}
              style={{ borderLeftColor: a.type.color }}
            >
              <time className="day-agenda__time" dateTime={a.start}>
                {formatZonedTime(a.start, locale, timeZone)}
              </time>
              <div className="day-agenda__who">
                <Link to={chartHref(a.patient_id)} className="day-agenda__patient">
                  {patientName(a) ?? t('appointments.day.openChart')}
                </Link>
                <span className="muted small">
                  <TypeSwatch color={a.type.color} /> {a.type.label} ·{' '}
                  {t('appointments.minutes', { count: a.duration_minutes })}
                </span>
              </div>
              <StatusBadge status={a.status} />
              <button type="button" className="button button--secondary button--small" onClick={() => setOpenId(a.id)}>
                {t('appointments.day.details')}
                <span className="visually-hidden"> {formatZonedTime(a.start, locale, timeZone)}</span>
              </button>
            </li>
          ))}
        </ol>
      </AsyncContent>
      <AppointmentDialog
        appointment={opened}
        timeZone={timeZone}
        chartHref={chartHref}
        onClose={() => setOpenId(null)}
      />
    </div>
  );
}
