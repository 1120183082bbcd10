// SPDX-License-Identifier: Apache-2.0
// The medical record: /api/v1/patients/{id}/{summary,encounters,vitals,allergies,conditions,
// prescriptions}, /api/v1/encounters (drafts, signature, amendments, the prescription PDF) and the
// ICD-10 table. Changes carry the ETag they were read with (If-Match); after any change every
// cached answer about the patient's record is refetched, so the tabs and the banner agree.
import {
  infiniteQueryOptions,
  queryOptions,
  useMutation,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { api, etagOf, unwrap, unwrapWithResponse } from '@/lib/api-client';
import { replaceQueryData } from '@/lib/query-client';
import { downloadFile } from '@/lib/save-file';
import {
  etagOfVersion,
  type AllergyInput,
  type AllergyPatch,
  type AmendmentInput,
  type ConditionInput,
  type ConditionPatch,
  type Encounter,
  type EncounterInput,
  type EncounterPatch,
  type Icd10Code,
  type PrescriptionStatus,
  type VitalsInput,
} from '../types';

export const recordsKeys = {
  all: ['records'] as const,
  patient: (patientId: string) => ['records', 'patient', patientId] as const,
  summary: (patientId: string) => ['records', 'patient', patientId, 'summary'] as const,
  encounters: (patientId: string) => ['records', 'patient', patientId, 'encounters'] as const,
  vitals: (patientId: string) => ['records', 'patient', patientId, 'vitals'] as const,
  allergies: (patientId: string) => ['records', 'patient', patientId, 'allergies'] as const,
  conditions: (patientId: string) => ['records', 'patient', patientId, 'conditions'] as const,
  prescriptions: (patientId: string, status: PrescriptionStatus | 'all') =>
    ['records', 'patient', patientId, 'prescriptions', status] as const,
  encounter: (id: string) => ['records', 'encounter', id] as const,
  icd10: (q: string) => ['records', 'icd10', q] as const,
};

export function summaryQuery(patientId: string) {
  return queryOptions({
    queryKey: recordsKeys.summary(patientId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/patients/{id}/summary', { params: { path: { id: patientId } }, signal })),
  });
}

export function encountersQuery(patientId: string, pageSize = 20) {
  return infiniteQueryOptions({
    queryKey: recordsKeys.encounters(patientId),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/patients/{id}/encounters', {
          params: { path: { id: patientId }, query: { cursor: pageParam, limit: pageSize } },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export interface EncounterWithEtag {
  encounter: Encounter;
  etag: string;
}

export function encounterQuery(id: string) {
  return queryOptions({
    queryKey: recordsKeys.encounter(id),
    queryFn: async ({ signal }): Promise<EncounterWithEtag> => {
      const { data, response } = await unwrapWithResponse(
        api.GET('/api/v1/encounters/{id}', { params: { path: { id } }, signal }),
      );
      return { encounter: data, etag: etagOf(response) };
    },
  });
}

export function vitalsQuery(patientId: string) {
  return queryOptions({
    queryKey: recordsKeys.vitals(patientId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/patients/{id}/vitals', {
          params: { path: { id: patientId }, query: { limit: 1000 } },
          signal,
        }),
      ).then((r) => r.items),
  });
}

export function allergiesQuery(patientId: string) {
  return queryOptions({
    queryKey: recordsKeys.allergies(patientId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/patients/{id}/allergies', { params: { path: { id: patientId } }, signal })).then(
        (r) => r.items,
      ),
  });
}

export function conditionsQuery(patientId: string) {
  return queryOptions({
    queryKey: recordsKeys.conditions(patientId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/patients/{id}/conditions', { params: { path: { id: patientId } }, signal })).then(
        (r) => r.items,
      ),
  });
}

export function prescriptionsQuery(patientId: string, status: PrescriptionStatus | 'all' = 'all') {
  return queryOptions({
    queryKey: recordsKeys.prescriptions(patientId, status),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/patients/{id}/prescriptions', {
          params: { path: { id: patientId }, query: status === 'all' ? {} : { status } },
          signal,
        }),
      ).then((r) => r.items),
  });
}

/** ICD-10 codes by code prefix or label words (accents ignored); reference data, cached longer. */
export function icd10Query(q: string) {
  return queryOptions<Icd10Code[]>({
    queryKey: recordsKeys.icd10(q),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/codes/icd10', { params: { query: { q, limit: 15 } }, signal })).then((r) => r.items),
    staleTime: 10 * 60_000,
  });
}

function refreshPatient(queryClient: QueryClient, patientId: string): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: recordsKeys.patient(patientId) });
}

async function rememberEncounter(queryClient: QueryClient, result: EncounterWithEtag): Promise<void> {
  await replaceQueryData(queryClient, recordsKeys.encounter(result.encounter.id), result);
  void refreshPatient(queryClient, result.encounter.patient_id);
}

export function useCreateEncounter() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: EncounterInput): Promise<EncounterWithEtag> => {
      const { data, response } = await unwrapWithResponse(api.POST('/api/v1/encounters', { body: input }));
      return { encounter: data, etag: etagOf(response) };
    },
    onSuccess: (result) => rememberEncounter(queryClient, result),
  });
}

export function useUpdateEncounter(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ patch, etag }: { patch: EncounterPatch; etag: string }): Promise<EncounterWithEtag> => {
      const { data, response } = await unwrapWithResponse(
        api.PATCH('/api/v1/encounters/{id}', { params: { path: { id }, header: { 'If-Match': etag } }, body: patch }),
      );
      return { encounter: data, etag: etagOf(response) };
    },
    onSuccess: (result) => rememberEncounter(queryClient, result),
  });
}

export function useSignEncounter(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (etag: string): Promise<EncounterWithEtag> => {
      const { data, response } = await unwrapWithResponse(
        api.POST('/api/v1/encounters/{id}/sign', { params: { path: { id }, header: { 'If-Match': etag } } }),
      );
      return { encounter: data, etag: etagOf(response) };
    },
    onSuccess: (result) => rememberEncounter(queryClient, result),
  });
}

export function useDiscardEncounter(id: string, patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (etag: string) =>
      unwrap(api.DELETE('/api/v1/encounters/{id}', { params: { path: { id }, header: { 'If-Match': etag } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: recordsKeys.encounter(id) });
      void refreshPatient(queryClient, patientId);
    },
  });
}

export function useAmendEncounter(id: string, patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AmendmentInput) =>
      unwrap(api.POST('/api/v1/encounters/{id}/amendments', { params: { path: { id } }, body: input })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: recordsKeys.encounter(id) });
      void refreshPatient(queryClient, patientId);
    },
  });
}

export function useChangePrescriptionStatus(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      version,
      status,
      reason,
    }: {
      id: string;
      version: number;
      status: Exclude<PrescriptionStatus, 'active'>;
      reason?: string;
    }) =>
      unwrap(
        api.PATCH('/api/v1/prescriptions/{id}', {
          params: { path: { id }, header: { 'If-Match': etagOfVersion(version) } },
          body: reason ? { status, reason } : { status },
        }),
      ),
    onSuccess: () => {
      // The encounters that carry the prescription show its status too.
      void queryClient.invalidateQueries({ queryKey: ['records', 'encounter'] });
      void refreshPatient(queryClient, patientId);
    },
  });
}

export function useRecordVitals(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: VitalsInput) =>
      unwrap(api.POST('/api/v1/patients/{id}/vitals', { params: { path: { id: patientId } }, body: input })),
    onSuccess: () => refreshPatient(queryClient, patientId),
  });
}

export function useAddAllergy(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AllergyInput) =>
      unwrap(api.POST('/api/v1/patients/{id}/allergies', { params: { path: { id: patientId } }, body: input })),
    onSuccess: () => refreshPatient(queryClient, patientId),
  });
}

export function useUpdateAllergy(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, patch }: { id: string; version: number; patch: AllergyPatch }) =>
      unwrap(
        api.PATCH('/api/v1/allergies/{id}', {
          params: { path: { id }, header: { 'If-Match': etagOfVersion(version) } },
          body: patch,
        }),
      ),
    onSettled: () => refreshPatient(queryClient, patientId),
  });
}

export function useAddCondition(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ConditionInput) =>
      unwrap(api.POST('/api/v1/patients/{id}/conditions', { params: { path: { id: patientId } }, body: input })),
    onSuccess: () => refreshPatient(queryClient, patientId),
  });
}

export function useUpdateCondition(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, patch }: { id: string; version: number; patch: ConditionPatch }) =>
      unwrap(
        api.PATCH('/api/v1/conditions/{id}', {
          params: { path: { id }, header: { 'If-Match': etagOfVersion(version) } },
          body: patch,
        }),
      ),
    onSettled: () => refreshPatient(queryClient, patientId),
  });
}

/** Saves the ordonnance of a signed encounter (PDF). */
export function downloadPrescription(encounterId: string): Promise<void> {
  return downloadFile(
    api.GET('/api/v1/encounters/{id}/prescription.pdf', { params: { path: { id: encounterId } }, parseAs: 'blob' }),
    `ordonnance-${encounterId.slice(-8)}.pdf`,
  );
}
