// SPDX-License-Identifier: Apache-2.0
// A practitioner's schedule: weekly opening hours (one versioned resource), absences, appointment
// types, and the secret link to their calendar feed.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, etagOf, unwrap, unwrapWithResponse } from '@/lib/api-client';
import { replaceQueryData } from '@/lib/query-client';
import { isApiError } from '@/lib/api-error';
import type { AbsenceInput, AppointmentType, AppointmentTypeInput, AppointmentTypePatch, OpeningRange } from '../types';
import { appointmentsKeys, etagForVersion } from './appointments';

export const scheduleKeys = {
  of: (practitionerId: string) => ['appointments', 'schedule', practitionerId] as const,
  hours: (practitionerId: string) => ['appointments', 'schedule', practitionerId, 'hours'] as const,
  absences: (practitionerId: string, from: string, to: string) =>
    ['appointments', 'schedule', practitionerId, 'absences', from, to] as const,
  types: (practitionerId: string) => ['appointments', 'schedule', practitionerId, 'types'] as const,
};

export function openingHoursQuery(practitionerId: string) {
  return queryOptions({
    queryKey: scheduleKeys.hours(practitionerId),
    queryFn: async ({ signal }) => {
      const { data, response } = await unwrapWithResponse(
        api.GET('/api/v1/practitioners/{id}/opening-hours', { params: { path: { id: practitionerId } }, signal }),
      );
      return { hours: data, etag: etagOf(response) };
    },
    enabled: practitionerId !== '',
  });
}

export function useSaveOpeningHours(practitionerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ ranges, etag }: { ranges: OpeningRange[]; etag: string }) => {
      const { data, response } = await unwrapWithResponse(
        api.PUT('/api/v1/practitioners/{id}/opening-hours', {
          params: { path: { id: practitionerId }, header: { 'If-Match': etag } },
          body: { ranges },
        }),
      );
      return { hours: data, etag: etagOf(response) };
    },
    onSuccess: async (saved) => {
      await replaceQueryData(queryClient, scheduleKeys.hours(practitionerId), saved);
      // Free slots follow the opening hours.
      void queryClient.invalidateQueries({ queryKey: appointmentsKeys.all });
    },
    // Someone saved other hours meanwhile (412): show theirs.
    onError: (e) => {
      if (isApiError(e) && e.status === 412)
        void queryClient.invalidateQueries({ queryKey: scheduleKeys.hours(practitionerId) });
    },
  });
}

export function absencesQuery(practitionerId: string, from: string, to: string) {
  return queryOptions({
    queryKey: scheduleKeys.absences(practitionerId, from, to),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/practitioners/{id}/absences', {
          params: { path: { id: practitionerId }, query: { from, to } },
          signal,
        }),
      ),
    enabled: practitionerId !== '',
  });
}

export function useAddAbsence(practitionerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AbsenceInput) =>
      unwrap(api.POST('/api/v1/practitioners/{id}/absences', { params: { path: { id: practitionerId } }, body })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: appointmentsKeys.all }),
  });
}

export function useRemoveAbsence(practitionerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (absenceId: string) =>
      unwrap(
        api.DELETE('/api/v1/practitioners/{id}/absences/{absence_id}', {
          params: { path: { id: practitionerId, absence_id: absenceId } },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: appointmentsKeys.all }),
  });
}

export function appointmentTypesQuery(practitionerId: string) {
  return queryOptions({
    queryKey: scheduleKeys.types(practitionerId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/practitioners/{id}/appointment-types', {
          params: { path: { id: practitionerId } },
          signal,
        }),
      ),
    enabled: practitionerId !== '',
  });
}

export function useCreateAppointmentType(practitionerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AppointmentTypeInput) =>
      unwrap(
        api.POST('/api/v1/practitioners/{id}/appointment-types', { params: { path: { id: practitionerId } }, body }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: appointmentsKeys.all }),
  });
}

export function useUpdateAppointmentType(practitionerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ type, patch }: { type: Pick<AppointmentType, 'id' | 'version'>; patch: AppointmentTypePatch }) =>
      unwrap(
        api.PATCH('/api/v1/practitioners/{id}/appointment-types/{type_id}', {
          params: {
            path: { id: practitionerId, type_id: type.id },
            header: { 'If-Match': etagForVersion(type.version) },
          },
          body: patch,
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: appointmentsKeys.all }),
  });
}

/** Creates (or replaces) a doctor's calendar-feed link; it is shown once. */
export function useCreateCalendarLink(practitionerId: string) {
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/practitioners/{id}/calendar-token', { params: { path: { id: practitionerId } } })),
  });
}

export function useDisableCalendarFeed(practitionerId: string) {
  return useMutation({
    mutationFn: () =>
      unwrap(api.DELETE('/api/v1/practitioners/{id}/calendar-token', { params: { path: { id: practitionerId } } })),
  });
}
