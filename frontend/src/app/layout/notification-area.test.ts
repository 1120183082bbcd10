// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { makeNotification } from '@/testing/mocks/handlers/notifications';
import { notificationLink } from './notification-area';

describe('notificationLink', () => {
  it('leads each role to where the notification is about', () => {
    const booked = makeNotification();
    expect(notificationLink({ role: 'patient' }, booked)).toBe('/portal/appointments');
    expect(notificationLink({ role: 'secretary' }, booked)).toBe(
      '/calendar?practitioner=20000000-0000-4000-8000-000000000001',
    );
    expect(notificationLink({ role: 'accountant' }, booked)).toBeNull();
    const ready = makeNotification({ kind: 'export.ready', data: { job_id: 'j1' } });
    expect(notificationLink({ role: 'patient' }, ready)).toBe('/portal/export?job=j1');
    expect(notificationLink({ role: 'admin' }, ready)).toBe('/admin/export?job=j1');
  });
});
