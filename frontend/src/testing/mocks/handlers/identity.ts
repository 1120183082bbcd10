// SPDX-License-Identifier: Apache-2.0
// MSW handlers for the identity context (auth and users).
import { http, HttpResponse } from 'msw';
import type { components } from '@/types/openapi.gen';
import { db, makeUser } from '../db';
import { problem } from '../problem';

type SignIn = components['schemas']['SignIn'];

export function signInBody(user = db.me ?? makeUser(), enrolment = false): SignIn {
  return {
    access_token: 'not-for-javascript',
    token_type: 'Bearer',
    expires_in: 900,
    refresh_token: 'not-for-javascript',
    refresh_expires_at: '2026-11-21T10:00:00Z',
    totp_enrolment_required: enrolment,
    user,
  };
}

export const identityHandlers = [
  http.get('*/api/v1/auth/me', () =>
    db.me ? HttpResponse.json({ ...db.me, totp_enrolment_required: false }) : problem(401, 'authentication_required'),
  ),
  http.post('*/api/v1/auth/refresh', () => problem(401, 'invalid_refresh_token')),
  http.post('*/api/v1/auth/logout', () => new HttpResponse(null, { status: 204 })),
  http.post('*/api/v1/auth/login', async ({ request }) => {
    const body = (await request.json()) as { email: string; password: string };
    const user = db.users.find((u) => u.email === body.email);
    if (!user || body.password !== 'correct horse battery') return problem(401, 'invalid_credentials');
    db.me = user;
    return HttpResponse.json(signInBody(user));
  }),
  http.get('*/api/v1/users', () => HttpResponse.json({ items: db.users, next_cursor: null })),
  http.post('*/api/v1/users', async ({ request }) => {
    const body = (await request.json()) as components['schemas']['NewUser'];
    const user = makeUser({
      id: `00000000-0000-4000-8000-${String(db.users.length + 1).padStart(12, '0')}`,
      email: body.email,
      display_name: body.display_name,
      role: body.role,
      patient_id: body.patient_id ?? null,
    });
    db.users.push(user);
    return HttpResponse.json(
      { user, temporary_password: body.password ? null : 'Temp-Pass-1234-abcd' },
      { status: 201, headers: { ETag: `"${user.version}"` } },
    );
  }),
  http.patch('*/api/v1/users/:id', async ({ params, request }) => {
    const user = db.users.find((u) => u.id === params.id);
    if (!user) return problem(404, 'not_found');
    const ifMatch = request.headers.get('If-Match');
    if (ifMatch && ifMatch !== `"${user.version}"`) return problem(412, 'stale_version');
    const changes = (await request.json()) as components['schemas']['UserChanges'];
    const { reset_password, reset_totp, ...fields } = changes;
    Object.assign(user, fields, { version: user.version + 1 }, reset_totp ? { totp_enabled: false } : {});
    return HttpResponse.json(
      { user, temporary_password: reset_password ? 'Reset-Pass-5678-wxyz' : null },
      { headers: { ETag: `"${user.version}"` } },
    );
  }),
  http.get('*/api/v1/users/:id', ({ params }) => {
    const user = db.users.find((u) => u.id === params.id);
    return user ? HttpResponse.json(user, { headers: { ETag: `"${user.version}"` } }) : problem(404, 'not_found');
  }),
];
