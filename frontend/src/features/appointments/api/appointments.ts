// SPDX-License-Identifier: Apache-2.0
// /api/v1/appointments and /api/v1/practitioners/{id}/availability: lists by day or week, one
// appointment, free slots, and the changes (book, move, cancel, check in, complete, no-show).
// Every change is based on the version the screen shows (If-Match), so a change made meanwhile
// by someone else answers 412 instead of being overwritten. Lists carry patient identities:
// they stay in the in-memory cache only, and briefly (lib/query-client).
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';
import type { AppointmentStatus, BookingInput, CalendarView, Transition } from '../types';

export interface AppointmentListQuery {
  practitionerId?: string | undefined;
  patientId?: string | undefined;
  /** A local day of the practice; without it, a patient's appointments, all of them. */
  date?: string | undefined;
  view?: CalendarView | undefined;
}

export const appointmentsKeys = {
  all: ['appointments'] as const,
  lists: ['appointments', 'list'] as const,
  list: (q: AppointmentListQuery) => ['appointments', 'list', q] as const,
  detail: (id: string) => ['appointments', 'detail', id] as const,
  practitioners: ['appointments', 'practitioners'] as const,
  availability: (practitionerId: string, typeId: string, from: string, to: string) =>
    ['appointments', 'availability', practitionerId, typeId, from, to] as const,
};

/** The server's ETags are "v<version>" (docs/openapi.json: "v0" before the first save). */
export function etagForVersion(version: number): string {
  return `"v${version}"`;
}

export function appointmentListQuery(q: AppointmentListQuery) {
  return queryOptions({
    queryKey: appointmentsKeys.list(q),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/appointments', {
          params: {
            query: {
              practitioner_id: q.practitionerId,
              patient_id: q.patientId,
              date: q.date,
              view: q.date ? (q.view ?? 'day') : undefined,
            },
          },
          signal,
        }),
      ),
  });
}

export function appointmentQuery(id: string) {
  return queryOptions({
    queryKey: appointmentsKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/appointments/{id}', { params: { path: { id } }, signal })),
  });
}

export const practitionersQuery = queryOptions({
  queryKey: appointmentsKeys.practitioners,
  queryFn: ({ signal }) => unwrap(api.GET('/api/v1/practitioners', { signal })),
  staleTime: 5 * 60_000,
});

/** Free slots of one appointment type from `from` to `to` (dates or instants; to is exclusive). */
export function availabilityQuery(practitionerId: string, typeId: string, from: string, to: string) {
  return queryOptions({
    queryKey: appointmentsKeys.availability(practitionerId, typeId, from, to),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/practitioners/{id}/availability', {
          params: { path: { id: practitionerId }, query: { from, to, type: typeId } },
          signal,
        }),
      ),
    enabled: practitionerId !== '' && typeId !== '',
  });
}

/** After any change: every list, every free-slot answer and the appointment itself. */
function useInvalidateAppointments() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: appointmentsKeys.all });
}

export function useBookAppointment() {
  const invalidate = useInvalidateAppointments();
  return useMutation({
    mutationFn: (body: BookingInput) => unwrap(api.POST('/api/v1/appointments', { body })),
    onSettled: invalidate,
  });
}

type Versioned = { id: string; version: number };

export function useRescheduleAppointment() {
  const invalidate = useInvalidateAppointments();
  return useMutation({
    mutationFn: ({ appointment, start }: { appointment: Versioned; start: string }) =>
      unwrap(
        api.POST('/api/v1/appointments/{id}/reschedule', {
          params: { path: { id: appointment.id }, header: { 'If-Match': etagForVersion(appointment.version) } },
          body: { start },
        }),
      ),
    onSettled: invalidate,
  });
}

export function useCancelAppointment() {
  const invalidate = useInvalidateAppointments();
  return useMutation({
    mutationFn: ({ appointment, reason }: { appointment: Versioned; reason: string }) =>
      unwrap(
        api.POST('/api/v1/appointments/{id}/cancel', {
          params: { path: { id: appointment.id }, header: { 'If-Match': etagForVersion(appointment.version) } },
          body: reason ? { reason } : {},
        }),
      ),
    onSettled: invalidate,
  });
}

const transitionPaths = {
  'check-in': '/api/v1/appointments/{id}/check-in',
  complete: '/api/v1/appointments/{id}/complete',
  'no-show': '/api/v1/appointments/{id}/no-show',
} as const;

export function useAppointmentTransition() {
  const invalidate = useInvalidateAppointments();
  return useMutation({
    mutationFn: ({ appointment, transition }: { appointment: Versioned; transition: Transition }) =>
      unwrap(
        api.POST(transitionPaths[transition], {
          params: { path: { id: appointment.id }, header: { 'If-Match': etagForVersion(appointment.version) } },
        }),
      ),
    onSettled: invalidate,
  });
}

/** The status an appointment reaches through a transition (for the confirmation message). */
export const transitionResult: Record<Transition, AppointmentStatus> = {
  'check-in': 'checked_in',
  complete: 'completed',
  'no-show': 'no_show',
};
