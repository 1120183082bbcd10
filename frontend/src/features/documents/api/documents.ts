// SPDX-License-Identifier: Apache-2.0
// A patient's documents: /api/v1/patients/{id}/documents (list, upload of the raw bytes),
// /api/v1/documents/{id} (withdraw), its content (download) and image thumbnail. The bytes of a
// thumbnail live in the query cache only while the list is shown (never persisted).
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';
import { downloadFile } from '@/lib/save-file';
import type { Category } from '../types';

export const documentsKeys = {
  all: ['documents'] as const,
  patient: (patientId: string) => ['documents', 'patient', patientId] as const,
  list: (patientId: string, category: Category | 'all') => ['documents', 'patient', patientId, category] as const,
  thumbnail: (id: string) => ['documents', 'thumbnail', id] as const,
};

export function documentsQuery(patientId: string, category: Category | 'all' = 'all') {
  return infiniteQueryOptions({
    queryKey: documentsKeys.list(patientId, category),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/patients/{id}/documents', {
          params: {
            path: { id: patientId },
            query: { cursor: pageParam, limit: 50, ...(category === 'all' ? {} : { category }) },
          },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function thumbnailQuery(id: string) {
  return queryOptions({
    queryKey: documentsKeys.thumbnail(id),
    queryFn: async ({ signal }) => {
      const data = await unwrap(
        api.GET('/api/v1/documents/{id}/thumbnail', { params: { path: { id } }, parseAs: 'blob', signal }),
      );
      return data;
    },
    staleTime: Infinity,
    retry: false,
  });
}

export interface UploadInput {
  file: File;
  category: Category;
  title: string;
  encounterId?: string | undefined;
  visibleToPatient: boolean;
}

export function useUploadDocument(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, category, title, encounterId, visibleToPatient }: UploadInput) =>
      unwrap(
        api.POST('/api/v1/patients/{id}/documents', {
          params: {
            path: { id: patientId },
            query: {
              category,
              title,
              filename: file.name.slice(0, 255),
              visible_to_patient: visibleToPatient,
              ...(encounterId ? { encounter_id: encounterId } : {}),
            },
          },
          // The file's bytes are the body, streamed as they are.
          body: file as unknown as string,
          bodySerializer: (b: unknown) => b as BodyInit,
          headers: { 'Content-Type': file.type || 'application/octet-stream' },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: documentsKeys.patient(patientId) }),
  });
}

export function useWithdrawDocument(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/documents/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: documentsKeys.patient(patientId) }),
  });
}

export function downloadDocument(id: string, filename: string): Promise<void> {
  return downloadFile(
    api.GET('/api/v1/documents/{id}/content', { params: { path: { id } }, parseAs: 'blob' }),
    filename,
  );
}
