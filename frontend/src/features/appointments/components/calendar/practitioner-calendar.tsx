// SPDX-License-Identifier: Apache-2.0
// One practitioner's day or week: appointments coloured by type (status in words), free slots of
// a chosen type (a click books it), absences, and opening hours shaded. A click on an appointment
// opens it (check in, complete, no-show, move, cancel). Times are the practice's wall-clock time,
// whatever the device's zone.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { AsyncContent } from '@/components/async-content';
import { Dialog } from '@/components/ui/dialog';
import { useLocale } from '@/lib/i18n';
import { addDays, formatDayHeading, formatZonedTime, todayIn, weekDates } from '@/utils/time-zone';
import { appointmentListQuery, availabilityQuery } from '../../api/appointments';
import { absencesQuery, openingHoursQuery } from '../../api/schedules';
import {
  patientName,
  type AppointmentWarning,
  type CalendarView,
  type ListedAppointment,
  type Practitioner,
} from '../../types';
import { AppointmentDialog } from '../appointment-dialog';
import { BookingForm, type PatientPicker } from '../booking-form';
import { BookingWarnings } from '../booking-warnings';
import { StatusBadge } from '../status-badge';
import { absenceSpans, appointmentSpan, openOn, spansOf } from './entries';
import { visibleRange } from './layout';
import { TimeGrid, type GridEntry } from './time-grid';

export interface CalendarState {
  practitionerId: string;
  view: CalendarView;
  date: string;
  /** The appointment type whose free slots are shown ('' for none). */
  slotType: string;
}

export function PractitionerCalendar({
  practitioners,
  state,
  onChange,
  chartHref,
  patientPicker,
}: {
  practitioners: readonly Practitioner[];
  state: CalendarState;
  onChange: (next: Partial<CalendarState>) => void;
  chartHref?: ((patientId: string) => string) | undefined;
  patientPicker: PatientPicker;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { practitionerId, view, date, slotType } = state;
  const practitioner = practitioners.find((p) => p.id === practitionerId);
  const days = view === 'day' ? [date] : weekDates(date);
  const from = days[0] ?? date;
  const to = addDays(days[days.length - 1] ?? date, 1);

  const list = useQuery(appointmentListQuery({ practitionerId, date, view }));
  const hours = useQuery(openingHoursQuery(practitionerId));
  const absences = useQuery(absencesQuery(practitionerId, from, to));
  const slots = useQuery({ ...availabilityQuery(practitionerId, slotType, from, to), enabled: slotType !== '' });

  const [openId, setOpenId] = useState<string | null>(null);
  const [booking, setBooking] = useState<{ start?: string; date: string } | null>(null);
  const [bookedWarnings, setBookedWarnings] = useState<readonly AppointmentWarning[] | null>(null);

  const timeZone = list.data?.time_zone ?? 'Europe/Paris';
  const items = list.data?.items ?? [];
  const opened = items.find((a) => a.id === openId) ?? null;
  const today = todayIn(timeZone);
  const step = view === 'day' ? 1 : 7;
  const ranges = hours.data?.hours.ranges ?? [];

  const entries: GridEntry[] = [];
  for (const a of items) {
    const span = appointmentSpan(a.start, a.duration_minutes, timeZone);
    entries.push({
      id: a.id,
      kind: 'appointment',
      ...span,
      content: <AppointmentEntry a={a} timeZone={timeZone} onOpen={setOpenId} />,
    });
  }
  for (const s of slots.data?.slots ?? []) {
    const [span] = spansOf(s.start, s.end, days, timeZone);
    if (!span) continue;
    const time = formatZonedTime(s.start, locale, timeZone);
    entries.push({
      id: `slot-${s.start}`,
      kind: 'slot',
      ...span,
      content: (
        <button type="button" className="cal-slot" onClick={() => setBooking({ start: s.start, date: span.date })}>
          {t('appointments.calendar.free', { time })}
          <span className="visually-hidden">
            {t('appointments.calendar.freeHidden', { day: formatDayHeading(span.date, locale) })}
          </span>
        </button>
      ),
    });
  }
  for (const ab of absences.data?.items ?? []) {
    for (const span of absenceSpans(ab, days, timeZone)) {
      entries.push({
        id: `absence-${ab.id}-${span.date}`,
        kind: 'absence',
        ...span,
        content: <span className="cal-absence">{t('appointments.calendar.absent', { reason: ab.reason })}</span>,
      });
    }
  }
  const open = (d: string) => openOn(d, ranges);
  const range = visibleRange([...entries, ...days.flatMap(open)]);

  return (
    <div className="stack">
      <div className="cal-toolbar" role="group" aria-label={t('appointments.calendar.title')}>
        <div className="field">
          <label htmlFor="cal-practitioner">{t('appointments.calendar.practitioner')}</label>
          <select
            id="cal-practitioner"
            className="input"
            value={practitionerId}
            onChange={(e) => onChange({ practitionerId: e.target.value, slotType: '' })}
          >
            {practitioners.map((p) => (
              <option key={p.id} value={p.id}>
                {p.display_name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="cal-date">{t('appointments.calendar.date')}</label>
          <input
            id="cal-date"
            type="date"
            className="input"
            value={date}
            onChange={(e) => e.target.value && onChange({ date: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="cal-slots">{t('appointments.calendar.slotsOf')}</label>
          <select
            id="cal-slots"
            className="input"
            value={slotType}
            onChange={(e) => onChange({ slotType: e.target.value })}
          >
            <option value="">{t('appointments.calendar.noSlotType')}</option>
            {(practitioner?.appointment_types ?? []).map((x) => (
              <option key={x.id} value={x.id}>
                {t('appointments.typeWithDuration', { label: x.label, count: x.duration_minutes })}
              </option>
            ))}
          </select>
        </div>
        <div className="button-row cal-toolbar__nav">
          <button
            type="button"
            className="button button--secondary"
            aria-label={t(view === 'day' ? 'appointments.calendar.previousDay' : 'appointments.calendar.previousWeek')}
            onClick={() => onChange({ date: addDays(date, -step) })}
          >
            <span aria-hidden="true">‹</span>
          </button>
          <button type="button" className="button button--secondary" onClick={() => onChange({ date: today })}>
            {t('appointments.calendar.today')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            aria-label={t(view === 'day' ? 'appointments.calendar.nextDay' : 'appointments.calendar.nextWeek')}
            onClick={() => onChange({ date: addDays(date, step) })}
          >
            <span aria-hidden="true">›</span>
          </button>
          <div className="segmented" role="group" aria-label={t('appointments.calendar.view')}>
            {(['day', 'week'] as const).map((v) => (
              <button
                key={v}
                type="button"
                className={`button button--secondary${view === v ? ' is-active' : ''}`}
                aria-pressed={view === v}
                onClick={() => onChange({ view: v })}
              >
                {t(`appointments.calendar.${v}`)}
              </button>
            ))}
          </div>
          <button type="button" className="button" onClick={() => setBooking({ date })}>
            {t('appointments.calendar.newBooking')}
          </button>
        </div>
      </div>
      {practitioner && practitioner.appointment_types.length > 0 && (
        <ul className="cal-legend" aria-label={t('appointments.calendar.legend')}>
          {practitioner.appointment_types.map((x) => (
            <li key={x.id}>
              <span className="type-swatch" style={{ background: x.color }} aria-hidden="true" /> {x.label}
            </li>
          ))}
        </ul>
      )}
      <AsyncContent query={list} isEmpty={false} empty={null}>
        <p className="muted small">{t('appointments.calendar.intro', { zone: timeZone })}</p>
        <div className="time-grid__scroll">
          <TimeGrid
            days={days}
            entries={entries}
            open={open}
            range={range}
            today={today}
            label={t('appointments.calendar.gridLabel', { name: practitioner?.display_name ?? '' })}
          />
        </div>
      </AsyncContent>

      <AppointmentDialog
        appointment={opened}
        timeZone={timeZone}
        chartHref={chartHref}
        onClose={() => setOpenId(null)}
      />
      <Dialog
        open={booking !== null || bookedWarnings !== null}
        title={bookedWarnings ? t('appointments.booking.bookedTitle') : t('appointments.booking.title')}
        onClose={() => {
          setBooking(null);
          setBookedWarnings(null);
        }}
      >
        {bookedWarnings ? (
          <div className="stack">
            <BookingWarnings warnings={bookedWarnings} />
            <div className="button-row">
              <button type="button" className="button" onClick={() => setBookedWarnings(null)}>
                {t('common.close')}
              </button>
            </div>
          </div>
        ) : (
          booking && (
            <BookingForm
              practitioners={practitioners}
              defaults={{
                practitionerId,
                typeId: slotType || undefined,
                date: booking.date,
                start: booking.start,
              }}
              timeZone={timeZone}
              patientPicker={patientPicker}
              onBooked={(booked) => {
                setBooking(null);
                toast.success(t('appointments.done.booked'));
                if (booked.warnings.length > 0) setBookedWarnings(booked.warnings);
              }}
              onCancel={() => setBooking(null)}
            />
          )
        )}
      </Dialog>
    </div>
  );
}

function AppointmentEntry({
  a,
  timeZone,
  onOpen,
}: {
  a: ListedAppointment;
  timeZone: string;
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const time = formatZonedTime(a.start, locale, timeZone);
  const name = patientName(a) ?? t('common.none');
  return (
    <button
      type="button"
      className={`cal-appt cal-appt--${a.status}`}
      style={{ borderLeftColor: a.type.color }}
      onClick={() => onOpen(a.id)}
    >
      <span className="cal-appt__time">{time}</span> <span className="cal-appt__name">{name}</span>
      <span className="cal-appt__meta">
        {a.type.label} <StatusBadge status={a.status} />
      </span>
    </button>
  );
}
