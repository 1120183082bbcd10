// SPDX-License-Identifier: Apache-2.0
// The audit trail (admin) and a patient's access log (the patient, admins), newest first, paged
// with `before`.
import { infiniteQueryOptions } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';

export interface AuditFilter {
  action?: string;
  actor_id?: string;
  patient_id?: string;
  from?: string;
  to?: string;
}

export function auditQuery(filter: AuditFilter) {
  return infiniteQueryOptions({
    queryKey: ['audit', 'search', filter] as const,
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/audit', {
          params: { query: { ...filter, before: pageParam, limit: 50 } },
          signal,
        }),
      ),
    getNextPageParam: (last) => (last.next_cursor ? Number(last.next_cursor) : undefined),
  });
}

export function accessLogQuery(patientId: string) {
  return infiniteQueryOptions({
    queryKey: ['audit', 'access-log', patientId] as const,
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/patients/{id}/access-log', {
          params: { path: { id: patientId }, query: { before: pageParam, limit: 50 } },
          signal,
        }),
      ),
    getNextPageParam: (last) => (last.next_cursor ? Number(last.next_cursor) : undefined),
  });
}
