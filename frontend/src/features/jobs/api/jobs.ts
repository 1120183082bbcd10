// SPDX-License-Identifier: Apache-2.0
// /api/v1/jobs/{id}: a background job (an export, a report) followed until it ends, and its
// result file, which the server hands out once and then deletes.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';
import type { components } from '@/types/openapi.gen';

export type Job = components['schemas']['Job'];
export type JobStatus = Job['status'];

/** How often a job is asked about while it runs. */
export const JOB_POLL_MS = 1000;

export function isFinished(status: JobStatus): boolean {
  return status === 'succeeded' || status === 'dead';
}

export const jobKeys = {
  detail: (id: string) => ['jobs', id] as const,
};

export function jobQuery(id: string) {
  return queryOptions({
    queryKey: jobKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/jobs/{id}', { params: { path: { id } }, signal })),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && isFinished(status) ? false : JOB_POLL_MS;
    },
    enabled: id !== '',
  });
}

/**
 * Fetches the result through the API client (so an expired session is refreshed first), hands it
 * to the browser as a download, and lets go of it: the file is never kept by the page.
 */
export function useDownloadJobResult() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (job: Pick<Job, 'id'> & { filename: string }) => {
      const blob = await unwrap(
        api.GET('/api/v1/jobs/{id}/download', { params: { path: { id: job.id } }, parseAs: 'blob' }),
      );
      const url = URL.createObjectURL(blob);
      try {
        const a = document.createElement('a');
        a.href = url;
        a.download = job.filename;
        document.body.append(a);
        a.click();
        a.remove();
      } finally {
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }
    },
    onSettled: (_data, _error, job) => queryClient.invalidateQueries({ queryKey: jobKeys.detail(job.id) }),
  });
}
