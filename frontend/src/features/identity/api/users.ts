// SPDX-License-Identifier: Apache-2.0
// User administration (admin): /api/v1/users.
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, etagOf, unwrap, unwrapWithResponse } from '@/lib/api-client';
import { replaceQueryData } from '@/lib/query-client';
import type { NewUser, Role, UserChanges } from '../types';

export interface UserFilter {
  role?: Role | undefined;
  active?: boolean | undefined;
  email?: string | undefined;
}

export const usersKeys = {
  all: ['users'] as const,
  list: (f: UserFilter) => ['users', 'list', f] as const,
  detail: (id: string) => ['users', 'detail', id] as const,
};

export function usersListQuery(filter: UserFilter) {
  return infiniteQueryOptions({
    queryKey: usersKeys.list(filter),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/users', {
          params: {
            query: {
              role: filter.role,
              active: filter.active,
              email: filter.email || undefined,
              cursor: pageParam,
              limit: 50,
            },
          },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function userQuery(id: string) {
  return queryOptions({
    queryKey: usersKeys.detail(id),
    queryFn: async ({ signal }) => {
      const { data, response } = await unwrapWithResponse(
        api.GET('/api/v1/users/{id}', { params: { path: { id } }, signal }),
      );
      return { user: data, etag: etagOf(response) };
    },
  });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewUser) => unwrap(api.POST('/api/v1/users', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKeys.all }),
  });
}

export function useUpdateUser(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ changes, etag }: { changes: UserChanges; etag: string }) => {
      const { data, response } = await unwrapWithResponse(
        api.PATCH('/api/v1/users/{id}', {
          params: { path: { id }, header: { 'If-Match': etag } },
          body: changes,
        }),
      );
      return { ...data, etag: etagOf(response) };
    },
    onSuccess: async (result) => {
      await replaceQueryData(queryClient, usersKeys.detail(id), { user: result.user, etag: result.etag });
      void queryClient.invalidateQueries({ queryKey: ['users', 'list'] });
    },
  });
}
