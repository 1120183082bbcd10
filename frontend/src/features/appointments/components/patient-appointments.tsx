// SPDX-License-Identifier: Apache-2.0
// One patient's appointments, upcoming (soonest first) then past (latest first). Staff open one
// to act on it; the patient, in the portal, may cancel an upcoming one (up to the notice period,
// which the server enforces and explains).
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AsyncContent } from '@/components/async-content';
import { EmptyState } from '@/components/ui/empty-state';
import { useLocale } from '@/lib/i18n';
import { formatZonedDateTime } from '@/utils/time-zone';
import { appointmentListQuery } from '../api/appointments';
import type { ListedAppointment } from '../types';
import { StatusBadge, TypeSwatch } from './status-badge';

export function splitByTime(items: readonly ListedAppointment[], now: Date = new Date()) {
  const upcoming = items.filter((a) => new Date(a.end) > now).sort((a, b) => a.start.localeCompare(b.start));
  const past = items.filter((a) => new Date(a.end) <= now).sort((a, b) => b.start.localeCompare(a.start));
  return { upcoming, past };
}

export function PatientAppointments({
  patientId,
  actions,
}: {
  patientId: string;
  /** What can be done with an appointment from here (open it, cancel it). */
  actions?: ((a: ListedAppointment, timeZone: string) => ReactNode) | undefined;
}) {
  const { t } = useTranslation();
  const list = useQuery(appointmentListQuery({ patientId }));
  const timeZone = list.data?.time_zone ?? 'Europe/Paris';
  const { upcoming, past } = splitByTime(list.data?.items ?? []);
  return (
    <AsyncContent query={list} isEmpty={false} empty={null}>
      <section className="stack" aria-labelledby="appts-upcoming">
        <h2 id="appts-upcoming">{t('appointments.chart.upcoming')}</h2>
        {upcoming.length === 0 ? (
          <EmptyState>{t('appointments.chart.noUpcoming')}</EmptyState>
        ) : (
          <AppointmentRows items={upcoming} timeZone={timeZone} actions={actions} />
        )}
      </section>
      <section className="stack" aria-labelledby="appts-past">
        <h2 id="appts-past">{t('appointments.chart.past')}</h2>
        {past.length === 0 ? (
          <EmptyState>{t('appointments.chart.noPast')}</EmptyState>
        ) : (
          <AppointmentRows items={past} timeZone={timeZone} actions={actions} />
        )}
      </section>
    </AsyncContent>
  );
}

function AppointmentRows({
  items,
  timeZone,
  actions,
}: {
  items: readonly ListedAppointment[];
  timeZone: string;
  actions?: ((a: ListedAppointment, timeZone: string) => ReactNode) | undefined;
}) {
  const locale = useLocale();
  return (
    <ul className="appt-list">
      {items.map((a) => (
        <li key={a.id} className="appt-list__item" style={{ borderLeftColor: a.type.color }}>
          <div className="appt-list__main">
            <time dateTime={a.start} className="appt-list__when">
              {formatZonedDateTime(a.start, locale, timeZone)}
            </time>
            <span className="muted small">
              <TypeSwatch color={a.type.color} /> {a.type.label} · {a.practitioner.display_name}
            </span>
          </div>
          <StatusBadge status={a.status} />
          {actions?.(a, timeZone)}
        </li>
      ))}
    </ul>
  );
}
