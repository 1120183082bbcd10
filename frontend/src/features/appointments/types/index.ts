// SPDX-License-Identifier: Apache-2.0
// Appointment and schedule types, from the generated OpenAPI schema.
import type { components } from '@/types/openapi.gen';

type S = components['schemas'];

export type Appointment = S['Appointment'];
export type ListedAppointment = S['ListedAppointment'];
export type AppointmentWritten = S['AppointmentWritten'];
export type AppointmentList = S['AppointmentList'];
export type AppointmentWarning = S['AppointmentWarning'];
export type AppointmentStatus = Appointment['status'];
export type BookingInput = S['BookingInput'];
export type Practitioner = S['Practitioner'];
export type OfferedType = S['OfferedType'];
export type AppointmentType = S['AppointmentType'];
export type AppointmentTypeInput = S['AppointmentTypeInput'];
export type AppointmentTypePatch = S['AppointmentTypePatch'];
export type OpeningHours = S['OpeningHours'];
export type OpeningRange = S['OpeningRange'];
export type Absence = S['Absence'];
export type AbsenceInput = S['AbsenceInput'];
export type AbsenceAdded = S['AbsenceAdded'];
export type Availability = S['Availability'];
export type Slot = S['Slot'];
export type CalendarLink = S['CalendarLink'];

export const statuses: readonly AppointmentStatus[] = ['booked', 'checked_in', 'completed', 'cancelled', 'no_show'];

/** What can happen next to an appointment (docs/appointments.md, "Life cycle"). */
export type Transition = 'check-in' | 'complete' | 'no-show';

export function nextTransitions(a: Pick<Appointment, 'status' | 'start'>, now: Date = new Date()): Transition[] {
  switch (a.status) {
    case 'booked':
      // A patient is marked absent once the appointment has started, not before.
      return new Date(a.start) <= now ? ['check-in', 'no-show'] : ['check-in'];
    case 'checked_in':
      return ['complete'];
    default:
      return [];
  }
}

/** Whether the appointment still takes its slot (everything but a cancellation). */
export function holdsSlot(a: Pick<Appointment, 'status'>): boolean {
  return a.status !== 'cancelled';
}

/** The patient's name as staff lists show it, when the list carries it. */
export function patientName(a: ListedAppointment): string | null {
  return a.patient ? `${a.patient.last_name.toUpperCase()} ${a.patient.first_name}` : null;
}

export const view = ['day', 'week'] as const;
export type CalendarView = (typeof view)[number];
