// SPDX-License-Identifier: Apache-2.0
import { screen, within } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { db } from '@/testing/mocks/db';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';
import { UserEdit } from './user-edit';

const id = '00000000-0000-4000-8000-000000000001';

describe('UserEdit', () => {
  it('changes only what was edited, with the ETag it read', async () => {
    const seen: { ifMatch: string | null; body: unknown }[] = [];
    server.events.on('request:start', async ({ request }) => {
      if (request.method === 'PATCH') {
        seen.push({ ifMatch: request.headers.get('If-Match'), body: await request.clone().json() });
      }
    });
    const { user } = renderApp(<UserEdit userId={id} />);
    await user.selectOptions(await screen.findByLabelText(/^role/i), 'nurse');
    await user.click(screen.getByLabelText('Account active'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Account updated.')).toBeInTheDocument();
    expect(seen).toEqual([{ ifMatch: '"1"', body: { role: 'nurse', active: false } }]);
    expect(db.users[0]).toMatchObject({ role: 'nurse', active: false, version: 2 });
    server.events.removeAllListeners();
  });

  it('resets the password after confirmation and shows the new one once', async () => {
    const { user } = renderApp(<UserEdit userId={id} />);
    await user.click(await screen.findByRole('button', { name: 'Reset password' }));
    const confirm = screen.getByRole('dialog', { name: 'Reset password' });
    await user.click(within(confirm).getByRole('button', { name: 'Confirm' }));
    // The save brings a new version (the form restarts from it); the password stays on screen.
    const shown = await screen.findByRole('dialog', { name: 'Temporary password' });
    expect(shown).toHaveTextContent('Reset-Pass-5678-wxyz');
    await user.click(within(shown).getByRole('button', { name: 'I have noted the password' }));
    expect(screen.queryByText('Reset-Pass-5678-wxyz')).not.toBeInTheDocument();
  });

  it('resets the second factor of an enrolled account', async () => {
    db.users[0]!.totp_enabled = true;
    const { user } = renderApp(<UserEdit userId={id} />);
    await user.click(await screen.findByRole('button', { name: 'Reset two-factor authentication' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('Two-factor authentication reset.')).toBeInTheDocument();
    expect(db.users[0]!.totp_enabled).toBe(false);
    expect(await screen.findByRole('button', { name: 'Reset two-factor authentication' })).toBeDisabled();
  });

  it('offers a reload when the account changed meanwhile', async () => {
    server.use(
      http.patch('*/api/v1/users/:id', async () => {
        const { problem } = await import('@/testing/mocks/problem');
        return problem(412, 'stale_version');
      }),
    );
    const { user } = renderApp(<UserEdit userId={id} />);
    await user.clear(await screen.findByLabelText(/display name/i));
    await user.type(screen.getByLabelText(/display name/i), 'Zoé A.');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Changed by someone else')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
  });
});
