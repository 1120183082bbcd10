// SPDX-License-Identifier: Apache-2.0
// The shell's notification area: the bell, fed live by the server's event stream. What a
// notification links to depends on the role (a patient's appointments are in the portal, staff
// see the practitioner's calendar), and an appointment event also refreshes the calendars shown.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { appointmentsKeys } from '@/features/appointments/api/appointments';
import type { Notification } from '@/features/notifications/api/notifications';
import { NotificationBell } from '@/features/notifications/components/notification-bell';
import { useNotificationStream } from '@/features/notifications/hooks/use-notification-stream';
import type { User } from '@/lib/auth';
import { can } from '@/lib/authorization';

export function notificationLink(user: Pick<User, 'role'>, n: Notification): string | null {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  if (n.kind.startsWith('appointment.')) {
    if (user.role === 'patient') return '/portal/appointments';
    if (can(user.role, 'appointments:calendar')) {
      const practitioner = str(n.data.practitioner_id);
      return practitioner ? `/calendar?practitioner=${encodeURIComponent(practitioner)}` : '/calendar';
    }
    return null;
  }
  if (n.kind === 'export.ready') {
    const job = encodeURIComponent(str(n.data.job_id));
    if (user.role === 'patient') return `/portal/export?job=${job}`;
    if (user.role === 'admin') return `/admin/export?job=${job}`;
  }
  return null;
}

export function NotificationArea({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const onNotification = useCallback(
    (n: Notification) => {
      if (n.kind.startsWith('appointment.')) void queryClient.invalidateQueries({ queryKey: appointmentsKeys.all });
    },
    [queryClient],
  );
  useNotificationStream(true, onNotification);
  return <NotificationBell linkFor={(n) => notificationLink(user, n)} />;
}
