// SPDX-License-Identifier: Apache-2.0
// MSW handlers for notifications and background jobs (the GDPR export and its one-time download).
import { http, HttpResponse } from 'msw';
import type { components } from '@/types/openapi.gen';
import { problem } from '../problem';

type S = components['schemas'];

export function makeNotification(over: Partial<S['Notification']> = {}): S['Notification'] {
  return {
    id: '50000000-0000-4000-8000-000000000001',
    kind: 'appointment.booked',
    data: { start: '2026-11-30T08:30:00Z', practitioner_id: '20000000-0000-4000-8000-000000000001' },
    link: '/appointments/40000000-0000-4000-8000-000000000001',
    created_at: '2026-11-24T07:00:00Z',
    read_at: null,
    ...over,
  };
}

export const notificationsDb: { items: S['Notification'][]; job: S['Job'] | null; polls: number } = {
  items: [],
  job: null,
  polls: 0,
};

export function resetNotifications(): void {
  notificationsDb.items = [
    makeNotification(),
    makeNotification({
      id: '50000000-0000-4000-8000-000000000002',
      kind: 'export.ready',
      data: { job_id: '60000000-0000-4000-8000-000000000001' },
      read_at: '2026-11-24T07:10:00Z',
    }),
  ];
  notificationsDb.job = null;
  notificationsDb.polls = 0;
}
resetNotifications();

const JOB_ID = '60000000-0000-4000-8000-000000000001';

function job(status: S['Job']['status'], taken = false): S['Job'] {
  return {
    id: JOB_ID,
    type: 'patients.export',
    status,
    attempts: 1,
    max_attempts: 3,
    created_at: '2026-11-24T07:00:00Z',
    updated_at: '2026-11-24T07:00:01Z',
    error: status === 'dead' ? 'the archive could not be written' : null,
    download:
      status === 'succeeded'
        ? { url: `/api/v1/jobs/${JOB_ID}/download`, filename: 'medisecure-export.zip', size: 17_203, taken }
        : null,
  };
}

export const notificationsHandlers = [
  http.get('*/api/v1/notifications', () =>
    HttpResponse.json<S['NotificationPage']>({
      items: notificationsDb.items,
      unread: notificationsDb.items.filter((n) => !n.read_at).length,
      next_before: null,
    }),
  ),
  http.post('*/api/v1/notifications/read-all', () => {
    for (const n of notificationsDb.items) n.read_at ??= '2026-11-24T08:00:00Z';
    return new HttpResponse(null, { status: 204 });
  }),
  http.post('*/api/v1/notifications/:id/read', ({ params }) => {
    const n = notificationsDb.items.find((x) => x.id === params.id);
    if (!n) return problem(404, 'notification_not_found');
    n.read_at = '2026-11-24T08:00:00Z';
    return new HttpResponse(null, { status: 204 });
  }),
  http.post('*/api/v1/patients/:id/export', () => {
    notificationsDb.job = job('pending');
    return HttpResponse.json<S['JobAccepted']>({ job_id: JOB_ID }, { status: 202 });
  }),
  // Pending on the first poll, running on the second, then ready.
  http.get('*/api/v1/jobs/:id', () => {
    notificationsDb.polls += 1;
    const current = notificationsDb.job ?? job('pending');
    if (current.status === 'pending' || current.status === 'running') {
      notificationsDb.job = job(
        notificationsDb.polls === 1 ? 'pending' : notificationsDb.polls === 2 ? 'running' : 'succeeded',
      );
    }
    return HttpResponse.json(notificationsDb.job);
  }),
  http.get('*/api/v1/jobs/:id/download', () => {
    if (!notificationsDb.job?.download || notificationsDb.job.download.taken) return problem(404, 'not_found');
    notificationsDb.job = job('succeeded', true);
    return new HttpResponse(new Uint8Array([0x50, 0x4b, 3, 4]), {
      headers: {
        'Content-Type': 'application/zip',
        'Content-Disposition': 'attachment; filename="medisecure-export.zip"',
      },
    });
  }),
];
