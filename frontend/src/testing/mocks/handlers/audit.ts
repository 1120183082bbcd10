// SPDX-License-Identifier: Apache-2.0
// MSW handlers for the audit context.
import { http, HttpResponse } from 'msw';

export const auditHandlers = [
  http.get('*/api/v1/audit', ({ request }) => {
    const action = new URL(request.url).searchParams.get('action');
    const items = [
      {
        seq: 2,
        at: '2026-11-20T10:05:00Z',
        actor_id: '00000000-0000-4000-8000-000000000001',
        actor_name: 'Zoé Accueil',
        actor_role: 'secretary',
        action: 'patient.read',
        resource_type: 'patient',
        resource_id: '10000000-0000-4000-8000-000000000001',
        patient_id: '10000000-0000-4000-8000-000000000001',
        client_ip: '127.0.0.1',
        request_id: 'r2',
        outcome: 'success' as const,
        detail: '',
      },
      {
        seq: 1,
        at: '2026-11-20T10:00:00Z',
        actor_id: '',
        actor_name: null,
        actor_role: 'anonymous',
        action: 'auth.login',
        resource_type: 'user',
        resource_id: '',
        patient_id: null,
        client_ip: '127.0.0.1',
        request_id: 'r1',
        outcome: 'failure' as const,
        detail: 'bad_password',
      },
    ].filter((r) => !action || r.action === action);
    return HttpResponse.json({ items, next_cursor: null });
  }),
  http.get('*/api/v1/patients/:id/access-log', () =>
    HttpResponse.json({
      items: [
        {
          at: '2026-11-20T10:05:00Z',
          actor_name: 'Dr Lefèvre',
          actor_role: 'doctor',
          action: 'patient.read',
          outcome: 'success',
        },
      ],
      next_cursor: null,
    }),
  ),
];
