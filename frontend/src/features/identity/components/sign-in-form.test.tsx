// SPDX-License-Identifier: Apache-2.0
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { signInBody } from '@/testing/mocks/handlers/identity';
import { problem } from '@/testing/mocks/problem';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';
import { SignInForm } from './sign-in-form';

async function fillCredentials(user: ReturnType<typeof renderApp>['user']) {
  await user.type(screen.getByLabelText(/e-mail address/i), 'doc@example.test');
  await user.type(screen.getByLabelText(/^password/i), 'correct horse battery');
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('SignInForm', () => {
  it('asks for the authenticator code when the account has a second factor', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post('*/api/v1/auth/login', async ({ request }) => {
        const body = (await request.json()) as { totp_code?: string };
        bodies.push(body);
        return body.totp_code === '123456' ? HttpResponse.json(signInBody()) : problem(401, 'totp_required');
      }),
    );
    const onSignedIn = vi.fn();
    const { user } = renderApp(<SignInForm onSignedIn={onSignedIn} />);
    await fillCredentials(user);

    const code = await screen.findByLabelText(/verification code/i);
    expect(code).toHaveFocus();
    await user.type(code, '123456');
    await user.click(screen.getByRole('button', { name: 'Verify' }));

    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledOnce());
    expect(bodies[1]).toEqual({ email: 'doc@example.test', password: 'correct horse battery', totp_code: '123456' });
  });

  it('validates the code format before sending it', async () => {
    server.use(http.post('*/api/v1/auth/login', () => problem(401, 'totp_required')));
    const { user } = renderApp(<SignInForm onSignedIn={vi.fn()} />);
    await fillCredentials(user);
    await user.type(await screen.findByLabelText(/verification code/i), '12a');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByText('Six digits')).toBeInTheDocument();
  });

  it('says how long to wait when the account is locked', async () => {
    server.use(
      http.post('*/api/v1/auth/login', () =>
        problem(429, 'login_locked', { title: 'Too many requests' }, { 'Retry-After': '840' }),
      ),
    );
    const { user } = renderApp(<SignInForm onSignedIn={vi.fn()} />);
    await fillCredentials(user);
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 14 min.');
  });

  it('shows the same message for an unknown account and a wrong password', async () => {
    const { user } = renderApp(<SignInForm onSignedIn={vi.fn()} />);
    await user.type(screen.getByLabelText(/e-mail address/i), 'nobody@example.test');
    await user.type(screen.getByLabelText(/^password/i), 'whatever');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Incorrect e-mail address or password.');
  });

  it('requires both fields', async () => {
    const { user } = renderApp(<SignInForm onSignedIn={vi.fn()} />);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findAllByText('Required')).toHaveLength(2);
    expect(screen.getByLabelText(/e-mail address/i)).toHaveAttribute('aria-invalid', 'true');
  });
});
