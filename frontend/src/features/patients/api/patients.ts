// SPDX-License-Identifier: Apache-2.0
// /api/v1/patients: search, read (with its ETag), register, change (If-Match). Patient data is
// cached in memory only, and briefly (see lib/query-client).
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, etagOf, unwrap, unwrapWithResponse } from '@/lib/api-client';
import { replaceQueryData } from '@/lib/query-client';
import type { Patient, PatientInput, PatientPatch } from '../types';

export interface PatientSearch {
  q?: string;
  mrn?: string;
  nir?: string;
  birth_date?: string;
}

export const patientsKeys = {
  all: ['patients'] as const,
  search: (s: PatientSearch) => ['patients', 'search', s] as const,
  detail: (id: string) => ['patients', 'detail', id] as const,
};

/** Reads what the user typed: an MRN or a NIR is looked up exactly, anything else by name. */
export function searchFromText(text: string, birthDate = ''): PatientSearch {
  const s = text.trim();
  const compact = s.replace(/[\s.-]/g, '').toUpperCase();
  const base: PatientSearch = birthDate ? { birth_date: birthDate } : {};
  if (/^MS\d{8}$/.test(compact)) return { ...base, mrn: compact };
  if (/^[12378]\d{4}(\d{2}|2A|2B)\d{8}$/.test(compact)) return { ...base, nir: compact };
  return s ? { ...base, q: s } : base;
}

export function isEmptySearch(s: PatientSearch): boolean {
  return !s.q && !s.mrn && !s.nir && !s.birth_date;
}

export function searchPatientsQuery(search: PatientSearch, pageSize = 20) {
  return infiniteQueryOptions({
    queryKey: patientsKeys.search(search),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/patients', {
          params: { query: { ...search, cursor: pageParam, limit: pageSize } },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled: !isEmptySearch(search),
    staleTime: 10_000,
  });
}

export interface PatientWithEtag {
  patient: Patient;
  etag: string;
}

export function patientQuery(id: string) {
  return queryOptions({
    queryKey: patientsKeys.detail(id),
    queryFn: async ({ signal }): Promise<PatientWithEtag> => {
      const { data, response } = await unwrapWithResponse(
        api.GET('/api/v1/patients/{id}', { params: { path: { id } }, signal }),
      );
      return { patient: data, etag: etagOf(response) };
    },
  });
}

export function useRegisterPatient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ input, allowDuplicate }: { input: PatientInput; allowDuplicate: boolean }) => {
      const { data, response } = await unwrapWithResponse(
        api.POST('/api/v1/patients', {
          params: { query: allowDuplicate ? { allow_duplicate: true } : {} },
          body: input,
        }),
      );
      return { patient: data, etag: etagOf(response) };
    },
    onSuccess: async (result) => {
      await replaceQueryData(queryClient, patientsKeys.detail(result.patient.id), result);
      void queryClient.invalidateQueries({ queryKey: ['patients', 'search'] });
    },
  });
}

export function useUpdatePatient(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ patch, etag }: { patch: PatientPatch; etag: string }) => {
      const { data, response } = await unwrapWithResponse(
        api.PATCH('/api/v1/patients/{id}', {
          params: { path: { id }, header: { 'If-Match': etag } },
          body: patch,
        }),
      );
      return { patient: data, etag: etagOf(response) };
    },
    onSuccess: async (result) => {
      await replaceQueryData(queryClient, patientsKeys.detail(id), result);
      void queryClient.invalidateQueries({ queryKey: ['patients', 'search'] });
    },
  });
}
