// SPDX-License-Identifier: Apache-2.0
// Appointment screens: the practitioners' calendar (front desk, doctors, nurses), a doctor's day,
// a patient chart's appointments, and the portal's own appointments. The patient picker of the
// booking form is the patients feature's search, composed here.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { AsyncContent } from '@/components/async-content';
import { PageHeader } from '@/components/layout/page-header';
import { Alert } from '@/components/ui/alert';
import { Dialog } from '@/components/ui/dialog';
import { appointmentListQuery, practitionersQuery } from '@/features/appointments/api/appointments';
import { openingHoursQuery } from '@/features/appointments/api/schedules';
import { AppointmentDialog } from '@/features/appointments/components/appointment-dialog';
import { BookingForm, type PatientPicker } from '@/features/appointments/components/booking-form';
import { BookingWarnings } from '@/features/appointments/components/booking-warnings';
import {
  PractitionerCalendar,
  type CalendarState,
} from '@/features/appointments/components/calendar/practitioner-calendar';
import { DayAgenda } from '@/features/appointments/components/day-agenda';
import { PatientAppointments } from '@/features/appointments/components/patient-appointments';
import { PortalCancel } from '@/features/appointments/components/portal-cancel';
import { AbsencesPanel } from '@/features/appointments/components/schedule/absences-panel';
import { AppointmentTypesPanel } from '@/features/appointments/components/schedule/appointment-types-panel';
import { CalendarFeedPanel } from '@/features/appointments/components/schedule/calendar-feed-panel';
import { OpeningHoursEditor } from '@/features/appointments/components/schedule/opening-hours-editor';
import {
  view as views,
  type AppointmentWarning,
  type CalendarView,
  type ListedAppointment,
} from '@/features/appointments/types';
import { patientQuery } from '@/features/patients/api/patients';
import { PatientCombobox } from '@/features/patients/components/patient-combobox';
import { fullName } from '@/features/patients/types';
import { useUser } from '@/lib/auth';
import { can } from '@/lib/authorization';
import { addDays, isIsoDate, todayIn } from '@/utils/time-zone';

const chartHref = (patientId: string) => `/patients/${patientId}`;

function PatientPickerField({ onChange, error }: Parameters<PatientPicker>[0]) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <div className="stack">
      <PatientCombobox
        compact
        label={t('appointments.booking.patientSearch')}
        error={error}
        onSelect={(p) => {
          setChosen(fullName(p));
          onChange(p.id);
        }}
      />
      {chosen && (
        <p className="selected-patient">
          {t('appointments.booking.patient')} : <strong>{chosen}</strong>
        </p>
      )}
    </div>
  );
}

const patientPicker: PatientPicker = (props) => <PatientPickerField {...props} />;

export function CalendarRoute() {
  const { t } = useTranslation();
  const { data: user } = useUser();
  const [params, setParams] = useSearchParams();
  const practitioners = useQuery(practitionersQuery);
  const list = practitioners.data?.items ?? [];
  const wanted = params.get('practitioner');
  const fallback = list.find((p) => p.id === user?.id)?.id ?? list[0]?.id ?? '';
  const viewParam = params.get('view');
  const dateParam = params.get('date');
  const state: CalendarState = {
    practitionerId: wanted && list.some((p) => p.id === wanted) ? wanted : fallback,
    view: views.includes(viewParam as CalendarView) ? (viewParam as CalendarView) : 'week',
    date: isIsoDate(dateParam) ? dateParam : todayIn(),
    slotType: params.get('slots') ?? '',
  };
  const onChange = (next: Partial<CalendarState>) => {
    const merged = { ...state, ...next };
    const p = new URLSearchParams();
    p.set('practitioner', merged.practitionerId);
    p.set('view', merged.view);
    p.set('date', merged.date);
    if (merged.slotType) p.set('slots', merged.slotType);
    setParams(p, { replace: true });
  };
  return (
    <>
      <PageHeader title={t('appointments.calendar.title')} />
      <AsyncContent
        query={practitioners}
        isEmpty={list.length === 0}
        empty={t('appointments.calendar.noPractitioners')}
      >
        <PractitionerCalendar
          practitioners={list}
          state={state}
          onChange={onChange}
          chartHref={can(user?.role, 'patients:search') ? chartHref : undefined}
          patientPicker={patientPicker}
        />
      </AsyncContent>
    </>
  );
}

export function MyDayRoute() {
  const { t } = useTranslation();
  const { data: user } = useUser();
  const [params, setParams] = useSearchParams();
  const dateParam = params.get('date');
  const date = isIsoDate(dateParam) ? dateParam : todayIn();
  return (
    <>
      <PageHeader title={t('appointments.day.title')}>
        <p className="muted">{t('appointments.day.intro')}</p>
      </PageHeader>
      {user && (
        <DayAgenda
          practitionerId={user.id}
          date={date}
          onDateChange={(d) => setParams({ date: d }, { replace: true })}
          chartHref={chartHref}
        />
      )}
    </>
  );
}

/** The chart's "appointments" tab: the patient's appointments, and a booking for them. */
export function ChartAppointmentsTab() {
  const { t } = useTranslation();
  const { patientId = '' } = useParams();
  const patient = useQuery(patientQuery(patientId));
  const practitioners = useQuery(practitionersQuery);
  const timeZone = useQuery(appointmentListQuery({ patientId })).data?.time_zone ?? 'Europe/Paris';
  const [openItem, setOpenItem] = useState<{ a: ListedAppointment; timeZone: string } | null>(null);
  const [booking, setBooking] = useState(false);
  const [warnings, setWarnings] = useState<readonly AppointmentWarning[]>([]);
  const list = practitioners.data?.items ?? [];
  return (
    <div className="stack">
      <div className="button-row">
        <button
          type="button"
          className="button"
          disabled={list.length === 0 || !patient.data}
          onClick={() => {
            setWarnings([]);
            setBooking(true);
          }}
        >
          {t('appointments.chart.book')}
        </button>
      </div>
      <BookingWarnings warnings={warnings} />
      <PatientAppointments
        patientId={patientId}
        actions={(a, timeZone) => (
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => setOpenItem({ a, timeZone })}
          >
            {t('appointments.day.details')}
          </button>
        )}
      />
      <AppointmentDialog
        appointment={openItem?.a ?? null}
        timeZone={openItem?.timeZone ?? timeZone}
        onClose={() => setOpenItem(null)}
      />
      <Dialog open={booking} title={t('appointments.booking.title')} onClose={() => setBooking(false)}>
        {booking && patient.data && list[0] && (
          <BookingForm
            practitioners={list}
            defaults={{ practitionerId: list[0].id, date: todayIn(timeZone) }}
            timeZone={timeZone}
            patient={{ id: patientId, name: fullName(patient.data.patient) }}
            onBooked={(booked) => {
              toast.success(t('appointments.done.booked'));
              setWarnings(booked.warnings);
              setBooking(false);
            }}
            onCancel={() => setBooking(false)}
          />
        )}
      </Dialog>
    </div>
  );
}

export function PortalAppointmentsRoute() {
  const { t } = useTranslation();
  const { data: user } = useUser();
  const patientId = user?.patient_id ?? null;
  const practitioners = useQuery(practitionersQuery);
  const timeZone =
    useQuery({ ...appointmentListQuery({ patientId: patientId ?? '' }), enabled: patientId !== null }).data
      ?.time_zone ?? 'Europe/Paris';
  const [booking, setBooking] = useState(false);
  const online = (practitioners.data?.items ?? []).filter((p) => p.appointment_types.some((x) => x.portal_bookable));
  return (
    <>
      <PageHeader
        title={t('appointments.portal.title')}
        actions={
          patientId && (
            <button type="button" className="button" disabled={online.length === 0} onClick={() => setBooking(true)}>
              {t('appointments.portal.book')}
            </button>
          )
        }
      >
        <p className="muted">{t('appointments.portal.intro')}</p>
      </PageHeader>
      {!patientId ? (
        <Alert tone="warning">{t('portal.noPatient')}</Alert>
      ) : (
        <>
          <PatientAppointments
            patientId={patientId}
            actions={(a, timeZone) => <PortalCancel appointment={a} timeZone={timeZone} />}
          />
          <Dialog open={booking} title={t('appointments.portal.bookTitle')} onClose={() => setBooking(false)}>
            {booking && online[0] && (
              <div className="stack">
                <p className="muted">{t('appointments.portal.bookIntro')}</p>
                <BookingForm
                  portal
                  practitioners={online}
                  defaults={{ practitionerId: online[0].id, date: addDays(todayIn(timeZone), 1) }}
                  timeZone={timeZone}
                  patient={{ id: patientId, name: user?.display_name ?? '' }}
                  onBooked={() => {
                    toast.success(t('appointments.done.booked'));
                    setBooking(false);
                  }}
                  onCancel={() => setBooking(false)}
                />
              </div>
            )}
          </Dialog>
        </>
      )}
    </>
  );
}

/** Opening hours, absences, appointment types and the calendar feed of one practitioner. */
export function SchedulesRoute() {
  const { t } = useTranslation();
  const { data: user } = useUser();
  const [params, setParams] = useSearchParams();
  const practitioners = useQuery(practitionersQuery);
  const list = practitioners.data?.items ?? [];
  const wanted = params.get('practitioner');
  const own = list.find((p) => p.id === user?.id)?.id;
  const practitionerId = wanted && list.some((p) => p.id === wanted) ? wanted : (own ?? list[0]?.id ?? '');
  const hours = useQuery(openingHoursQuery(practitionerId));
  const timeZone = hours.data?.hours.time_zone ?? 'Europe/Paris';
  // Doctors manage their own schedule; administrators and the front desk every one.
  const canEdit = user?.role === 'admin' || user?.role === 'secretary' || practitionerId === user?.id;
  return (
    <>
      <PageHeader title={t('appointments.schedule.title')}>
        <p className="muted">{t('appointments.schedule.intro', { zone: timeZone })}</p>
      </PageHeader>
      <AsyncContent
        query={practitioners}
        isEmpty={list.length === 0}
        empty={t('appointments.calendar.noPractitioners')}
      >
        <div className="stack">
          <div className="field">
            <label htmlFor="schedule-practitioner">{t('appointments.schedule.practitioner')}</label>
            <select
              id="schedule-practitioner"
              className="input"
              value={practitionerId}
              onChange={(e) => setParams({ practitioner: e.target.value }, { replace: true })}
            >
              {list.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.display_name}
                </option>
              ))}
            </select>
          </div>
          <section className="card stack" aria-labelledby="schedule-hours">
            <h2 id="schedule-hours">{t('appointments.schedule.hours')}</h2>
            <OpeningHoursEditor key={practitionerId} practitionerId={practitionerId} canEdit={canEdit} />
          </section>
          <section className="card stack" aria-labelledby="schedule-absences">
            <h2 id="schedule-absences">{t('appointments.schedule.absences')}</h2>
            <AbsencesPanel key={practitionerId} practitionerId={practitionerId} timeZone={timeZone} canEdit={canEdit} />
          </section>
          <section className="card stack" aria-labelledby="schedule-types">
            <h2 id="schedule-types">{t('appointments.schedule.types')}</h2>
            <AppointmentTypesPanel key={practitionerId} practitionerId={practitionerId} canEdit={canEdit} />
          </section>
          {(practitionerId === user?.id || user?.role === 'admin') && (
            <section className="card stack" aria-labelledby="schedule-feed">
              <h2 id="schedule-feed">{t('appointments.schedule.feed')}</h2>
              <CalendarFeedPanel
                key={practitionerId}
                practitionerId={practitionerId}
                canCreate={practitionerId === user?.id && user.role === 'doctor'}
                canDisable
              />
            </section>
          )}
        </div>
      </AsyncContent>
    </>
  );
}
