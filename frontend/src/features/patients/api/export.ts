// SPDX-License-Identifier: Apache-2.0
// POST /api/v1/patients/{id}/export: a copy of all of a patient's data (GDPR access and
// portability), prepared in the background. Answers at once with the job to follow.
import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';

export function useStartPatientExport() {
  return useMutation({
    mutationFn: (patientId: string) =>
      unwrap(api.POST('/api/v1/patients/{id}/export', { params: { path: { id: patientId } } })),
  });
}
