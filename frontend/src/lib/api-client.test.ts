// SPDX-License-Identifier: Apache-2.0
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { problem } from '@/testing/mocks/problem';
import { server } from '@/testing/mocks/server';
import { api, ApiError, refreshSession, setSessionHooks, unwrap } from './api-client';

const me = { id: 'u1', email: 'a@b.c', display_name: 'A', role: 'secretary' };

/** /auth/me answers 401 until the session has been refreshed once. */
function expiringSession(refreshOk = true) {
  const calls = { refresh: 0, me: 0 };
  let fresh = false;
  server.use(
    http.get('*/api/v1/auth/me', () => {
      calls.me++;
      return fresh ? HttpResponse.json(me) : problem(401, 'token_expired');
    }),
    http.post('*/api/v1/auth/refresh', async () => {
      calls.refresh++;
      await new Promise((r) => setTimeout(r, 20));
      if (!refreshOk) return problem(401, 'invalid_refresh_token');
      fresh = true;
      return HttpResponse.json({ access_token: 'x' });
    }),
  );
  return calls;
}

describe('api client', () => {
  it('refreshes the session once on 401 and retries the request', async () => {
    const calls = expiringSession();
    await expect(unwrap(api.GET('/api/v1/auth/me'))).resolves.toMatchObject({ id: 'u1' });
    expect(calls).toEqual({ refresh: 1, me: 2 });
  });

  it('shares one refresh between concurrent requests (the refresh token rotates)', async () => {
    const calls = expiringSession();
    const results = await Promise.all([1, 2, 3].map(() => unwrap(api.GET('/api/v1/auth/me'))));
    expect(results).toHaveLength(3);
    expect(calls.refresh).toBe(1);
  });

  it('asks for a re-sign-in when the refresh fails, then replays the request', async () => {
    const calls = expiringSession(false);
    const onSessionExpired = vi.fn(() => {
      // The user signs in again: from now on the server accepts the request.
      server.use(http.get('*/api/v1/auth/me', () => HttpResponse.json(me)));
      return Promise.resolve();
    });
    setSessionHooks({ onSessionExpired, onEnrolmentRequired: vi.fn() });
    await expect(unwrap(api.GET('/api/v1/auth/me'))).resolves.toMatchObject({ id: 'u1' });
    expect(onSessionExpired).toHaveBeenCalledOnce();
    expect(calls.refresh).toBe(1);
  });

  it('fails with the 401 when nobody is there to sign in again', async () => {
    expiringSession(false);
    setSessionHooks({ onSessionExpired: () => Promise.reject(new Error('no')), onEnrolmentRequired: vi.fn() });
    const error = await unwrap(api.GET('/api/v1/auth/me')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
  });

  it('never refreshes for the sign-in request itself', async () => {
    const calls = expiringSession();
    server.use(http.post('*/api/v1/auth/login', () => problem(401, 'invalid_credentials')));
    const error = (await unwrap(api.POST('/api/v1/auth/login', { body: { email: 'a', password: 'b' } })).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(error.code).toBe('invalid_credentials');
    expect(calls.refresh).toBe(0);
  });

  it('reports a forced second-factor enrolment', async () => {
    server.use(http.get('*/api/v1/users', () => problem(403, 'totp_enrolment_required')));
    const onEnrolmentRequired = vi.fn();
    setSessionHooks({ onSessionExpired: () => Promise.reject(new Error('no')), onEnrolmentRequired });
    await expect(unwrap(api.GET('/api/v1/users'))).rejects.toMatchObject({ status: 403 });
    expect(onEnrolmentRequired).toHaveBeenCalledOnce();
  });

  it('sends same-origin credentials and never an Authorization header', async () => {
    let seen: Request | undefined;
    server.use(
      http.get('*/api/v1/auth/me', ({ request }) => {
        seen = request;
        return HttpResponse.json(me);
      }),
    );
    await unwrap(api.GET('/api/v1/auth/me'));
    expect(seen?.credentials).toBe('same-origin');
    expect(seen?.headers.get('Authorization')).toBeNull();
  });

  it('turns a network failure into a network ApiError', async () => {
    server.use(http.get('*/api/v1/auth/me', () => HttpResponse.error()));
    const error = (await unwrap(api.GET('/api/v1/auth/me')).catch((e: unknown) => e)) as ApiError;
    expect(error.isNetwork).toBe(true);
  });

  it('reports a dead session from refreshSession', async () => {
    await expect(refreshSession()).resolves.toBe(false);
  });
});

describe('api client offline', () => {
  it('reports an unreachable server during a refresh as a network error, not as a signed-out session', async () => {
    server.use(
      http.get('*/api/v1/auth/me', () => problem(401, 'token_expired')),
      http.post('*/api/v1/auth/refresh', () => HttpResponse.error()),
    );
    const onSessionExpired = vi.fn(() => Promise.resolve());
    setSessionHooks({ onSessionExpired, onEnrolmentRequired: vi.fn() });
    const error = (await unwrap(api.GET('/api/v1/auth/me')).catch((e: unknown) => e)) as ApiError;
    expect(error.isNetwork).toBe(true);
    expect(onSessionExpired).not.toHaveBeenCalled();
  });

  it('does not mistake a missing ETag for a network failure', () => {
    expect(new ApiError({ status: 0, code: 'missing_etag', title: 'Missing ETag' }).isNetwork).toBe(false);
  });
});

describe('api client refresh refused for another reason', () => {
  it('passes a rate-limited refresh on as that error, without ending the session', async () => {
    server.use(
      http.get('*/api/v1/auth/me', () => problem(401, 'token_expired')),
      http.post('*/api/v1/auth/refresh', () =>
        problem(429, 'rate_limited', { title: 'Too many requests' }, { 'Retry-After': '2' }),
      ),
    );
    const onSessionExpired = vi.fn(() => Promise.resolve());
    setSessionHooks({ onSessionExpired, onEnrolmentRequired: vi.fn() });
    const error = (await unwrap(api.GET('/api/v1/auth/me')).catch((e: unknown) => e)) as ApiError;
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 2 });
    expect(onSessionExpired).not.toHaveBeenCalled();
  });
});
