// SPDX-License-Identifier: Apache-2.0
import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { db, makeUser } from '@/testing/mocks/db';
import { renderApp } from '@/testing/test-utils';
import { RequireAuth, RequireRole } from './guards';

function renderGuarded(at: string) {
  return renderApp(<RequireAuth />, { path: '/', at });
}

/** /admin/users behind both guards, as the application's router has it. */
function renderAdminUsersScreen() {
  return renderApp(<></>, {
    path: '/unused',
    at: '/admin/users',
    routes: [
      {
        path: '/',
        element: <RequireAuth />,
        children: [
          {
            element: <RequireRole permission="users:manage" />,
            children: [{ path: 'admin/users', element: <p>users list</p> }],
          },
        ],
      },
    ],
  });
}

describe('route guards', () => {
  it('sends a visitor without a session to sign-in, remembering where they were going', async () => {
    db.me = null;
    const { router } = renderApp(<></>, {
      path: '/sign-in',
      at: '/admin/users?role=nurse',
      routes: [{ path: '/', element: <RequireAuth />, children: [{ path: 'admin/users', element: <p>users</p> }] }],
    });
    await vi.waitFor(() => expect(router.state.location.pathname).toBe('/sign-in'));
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/admin/users?role=nurse')}`);
  });

  it("shows 'access denied' when a role opens another role's screen", async () => {
    db.me = makeUser({ role: 'secretary' });
    renderAdminUsersScreen();
    expect(await screen.findByRole('heading', { name: 'Access denied' })).toBeInTheDocument();
    expect(screen.queryByText('users list')).not.toBeInTheDocument();
  });

  it('lets the right role in, inside the shell with its own navigation only', async () => {
    db.me = makeUser({ role: 'admin', display_name: 'Ada Admin' });
    renderAdminUsersScreen();
    expect(await screen.findByText('users list')).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(nav).toHaveTextContent('Users');
    expect(nav).toHaveTextContent('Audit trail');
    expect(nav).not.toHaveTextContent('Patients');
    expect(nav).not.toHaveTextContent('My record');
  });

  it('renders nothing of the app before the session is known', () => {
    renderGuarded('/');
    expect(screen.getByText('Loading…')).toBeInTheDocument();
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
  });
});
