// SPDX-License-Identifier: Apache-2.0
// Sign-in, password change and second factor (POST /api/v1/auth/*).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';
import { acceptSignIn, meQuery } from '@/lib/auth';
import { session } from '@/lib/session';

export interface Credentials {
  email: string;
  password: string;
  totp_code?: string;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Credentials) => unwrap(api.POST('/api/v1/auth/login', { body })),
    onSuccess: (signIn) => acceptSignIn(queryClient, signIn),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { current_password: string; new_password: string }) =>
      unwrap(api.POST('/api/v1/auth/password', { body })),
  });
}

export function useTotpEnroll() {
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/totp/enroll')),
  });
}

export function useTotpConfirm() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => unwrap(api.POST('/api/v1/auth/totp/confirm', { body: { code } })),
    onSuccess: (signIn) => {
      acceptSignIn(queryClient, signIn);
      session.enrolled();
    },
  });
}

export function useTotpDisable() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (password: string) => unwrap(api.POST('/api/v1/auth/totp/disable', { body: { password } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meQuery.queryKey }),
  });
}
