// SPDX-License-Identifier: Apache-2.0
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { notificationsDb } from '@/testing/mocks/handlers/notifications';
import { renderApp } from '@/testing/test-utils';
import { NotificationBell } from './notification-bell';

describe('NotificationBell', () => {
  it('shows the unread count, lists the notifications in words, and marks them read', async () => {
    const { user } = renderApp(
      <NotificationBell linkFor={(n) => (n.kind.startsWith('appointment.') ? '/mine' : null)} />,
    );
    const bell = await screen.findByRole('button', { name: 'Notifications, 1 unread' });
    expect(bell).toHaveAttribute('aria-expanded', 'false');
    await user.click(bell);
    expect(bell).toHaveAttribute('aria-expanded', 'true');
    const panel = screen.getByRole('region', { name: 'Notifications' });
    const items = within(panel).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(/^unread : Appointment booked for .*30.*2026/);
    expect(items[1]).toHaveTextContent('Your data export is ready to download.');
    expect(within(items[0]!).getByRole('link', { name: 'Open' })).toHaveAttribute('href', '/mine');

    await user.click(within(panel).getByRole('button', { name: 'Mark all as read' }));
    expect(await screen.findByRole('button', { name: 'Notifications, 0 unread' })).toBeInTheDocument();
    expect(notificationsDb.items.every((n) => n.read_at)).toBe(true);
  });

  it('closes with Escape and gives the focus back to the bell', async () => {
    const { user } = renderApp(<NotificationBell />);
    const bell = await screen.findByRole('button', { name: /^Notifications/ });
    await user.click(bell);
    expect(screen.getByRole('region', { name: 'Notifications' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: 'Notifications' })).not.toBeInTheDocument();
    expect(bell).toHaveFocus();
  });
});
