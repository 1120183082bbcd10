// SPDX-License-Identifier: Apache-2.0
import { screen } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { db } from '@/testing/mocks/db';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';
import { RegisterPatient } from './register-patient';

async function fillIdentity(user: ReturnType<typeof renderApp>['user'], last = 'Dupont') {
  await user.type(screen.getByLabelText(/^last name/i), last);
  await user.type(screen.getByLabelText(/^first name/i), 'Helene');
  await user.selectOptions(screen.getByLabelText(/^sex/i), 'female');
  await user.type(screen.getByLabelText(/^date of birth/i), '1938-01-01');
}

describe('RegisterPatient', () => {
  it('shows the probable duplicates, and registers anyway on request', async () => {
    const allowFlags: (string | null)[] = [];
    server.events.on('request:start', ({ request }) => {
      if (request.method === 'POST') allowFlags.push(new URL(request.url).searchParams.get('allow_duplicate'));
    });
    const { user } = renderApp(<RegisterPatient />, { path: '/patients/new', at: '/patients/new' });
    await fillIdentity(user);
    await user.click(screen.getByRole('button', { name: 'Register patient' }));

    expect(await screen.findByText('This patient may already exist')).toBeInTheDocument();
    expect(screen.getByText('DUPONT Hélène')).toBeInTheDocument();
    expect(screen.getByText('same name and date of birth')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open this record' })).toHaveAttribute(
      'href',
      '/patients/10000000-0000-4000-8000-000000000001',
    );

    await user.click(screen.getByRole('button', { name: /register anyway/i }));
    await vi.waitFor(() => expect(db.patients).toHaveLength(4));
    const created = db.patients.at(-1)!;
    await vi.waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(`/patients/${created.id}`));
    expect(await screen.findByText('Patient registered.')).toBeInTheDocument();
    expect(allowFlags).toEqual([null, 'true']);
    server.events.removeAllListeners();
  });

  it('validates before sending: required fields, NIR key, future birth date', async () => {
    let posted = false;
    server.use(http.post('*/api/v1/patients', () => void (posted = true)));
    const { user } = renderApp(<RegisterPatient />);
    await user.type(screen.getByLabelText(/social security number/i), '1 84 05 75 115 423 00');
    await user.type(screen.getByLabelText(/^date of birth/i), '2999-01-01');
    await user.click(screen.getByRole('button', { name: 'Register patient' }));

    expect(await screen.findByText('The NIR key does not match')).toBeInTheDocument();
    expect(screen.getByText('The date cannot be in the future')).toBeInTheDocument();
    expect(screen.getAllByText('Required').length).toBeGreaterThanOrEqual(2);
    expect(screen.getByRole('alert', { name: '' })).toHaveTextContent('The form has errors.');
    expect(posted).toBe(false);
  });

  it('puts the server field errors next to their fields', async () => {
    const { problem } = await import('@/testing/mocks/problem');
    server.use(
      http.post('*/api/v1/patients', () =>
        problem(422, 'validation_failed', {
          errors: [{ field: '/address/postal_code', code: 'too_long', message: 'is too long' }],
        }),
      ),
    );
    const { user } = renderApp(<RegisterPatient />);
    await fillIdentity(user, 'Nouveau');
    await user.type(screen.getByLabelText(/postal code/i), '750');
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    const postal = screen.getByLabelText(/postal code/i);
    expect(await screen.findByText('Too long')).toBeInTheDocument();
    expect(postal).toHaveAttribute('aria-invalid', 'true');
    expect(postal).toHaveFocus();
  });
});
