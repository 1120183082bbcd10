// SPDX-License-Identifier: Apache-2.0
// The server-state cache. It lives in memory only (never persisted): patient data is dropped a
// short while after no screen shows it, and everything is cleared on sign-out.
import { QueryClient, type QueryKey } from '@tanstack/react-query';
import { isApiError } from './api-error';

/** How long unused patient data stays in memory. */
export const PHI_GC_TIME_MS = 60_000;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        gcTime: PHI_GC_TIME_MS,
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        retry: (failureCount, error) => {
          // Answers from the server are final; only network failures are worth another try.
          if (isApiError(error) && !error.isNetwork) return false;
          return failureCount < 2;
        },
      },
      mutations: { retry: false },
    },
  });
}

/**
 * Puts what a write returned in the cache, after cancelling any read of the same key still in
 * flight: a read that started before the write (the refetch after signing in again, a window
 * refocus) would otherwise land after it and put the old record back on screen.
 */
export async function replaceQueryData<T>(client: QueryClient, key: QueryKey, data: T): Promise<void> {
  await client.cancelQueries({ queryKey: key, exact: true });
  client.setQueryData(key, data);
}
