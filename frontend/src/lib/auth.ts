// SPDX-License-Identifier: Apache-2.0
// The signed-in user (GET /auth/me, cached in memory) and the session's life cycle: sign-in,
// sign-out, and what other tabs announce. Tokens stay in HttpOnly cookies.
import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import type { components } from '@/types/openapi.gen';
import { api, unwrap } from './api-client';
import { session } from './session';
import { publishSessionEvent } from './session-events';

export type User = components['schemas']['User'];
export type Role = User['role'];
export type SignIn = components['schemas']['SignIn'];

export const meQuery = queryOptions({
  queryKey: ['auth', 'me'] as const,
  queryFn: async () => {
    const user = await unwrap(api.GET('/api/v1/auth/me'));
    session.userKnown(user.id);
    return user;
  },
  staleTime: 5 * 60_000,
  retry: false,
  refetchOnWindowFocus: false,
});

/** The signed-in user; undefined while loading or when nobody is signed in. */
export function useUser() {
  return useQuery(meQuery);
}

/** Records a successful sign-in (login, TOTP confirmation) in the cache and the session. */
export function acceptSignIn(queryClient: QueryClient, signIn: SignIn): void {
  const previous = session.get().userId;
  if (previous && previous !== signIn.user.id) {
    // Someone else signed in on this screen: nothing of the previous user's may remain.
    queryClient.clear();
  }
  session.signedIn(signIn.user.id, signIn.totp_enrolment_required);
  queryClient.setQueryData(meQuery.queryKey, {
    ...signIn.user,
    totp_enrolment_required: signIn.totp_enrolment_required,
  });
  publishSessionEvent({ type: 'signed-in', userId: signIn.user.id });
}

/** Ends the session on the server, then forgets everything held in memory. */
export async function signOut(queryClient: QueryClient): Promise<void> {
  try {
    await api.POST('/api/v1/auth/logout');
  } catch {
    // Offline: the cookies expire on their own; still forget everything locally.
  }
  forgetSession(queryClient);
  publishSessionEvent({ type: 'signed-out' });
}

/** Drops every cached answer and the session state (sign-out here or in another tab). */
export function forgetSession(queryClient: QueryClient): void {
  void queryClient.cancelQueries();
  queryClient.clear();
  session.ended();
}

/** A post-sign-in destination from `?next=`, only when it is a path of this application. */
export function safeNextPath(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (next.startsWith('/sign-in')) return null;
  return next;
}
