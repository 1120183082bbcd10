// SPDX-License-Identifier: Apache-2.0
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { db } from '@/testing/mocks/db';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';
import { EditPatient } from './edit-patient';

const id = '10000000-0000-4000-8000-000000000001';

describe('EditPatient', () => {
  it('sends only the changed fields, with the ETag it read', async () => {
    let ifMatch: string | null = null;
    let body: unknown;
    server.use(
      http.patch('*/api/v1/patients/:id', async ({ request }) => {
        ifMatch = request.headers.get('If-Match');
        body = await request.json();
        const p = db.patients[0]!;
        return HttpResponse.json({ ...p, version: 2 }, { headers: { ETag: '"2"' } });
      }),
    );
    const { user } = renderApp(<EditPatient patientId={id} />);
    const contact = await screen.findByRole('group', { name: 'Contact' });
    const phone = within(contact).getByLabelText(/^phone/i);
    await user.clear(phone);
    await user.type(phone, '01 23 45 67 89');
    await user.clear(within(contact).getByLabelText(/^e-mail/i));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Changes saved.')).toBeInTheDocument();
    expect(ifMatch).toBe('"1"');
    // An emptied optional field is cleared with null (merge patch).
    expect(body).toEqual({ phone: '01 23 45 67 89', email: null });
  });

  it('says the record changed meanwhile (412) and reloads it on request', async () => {
    const { user } = renderApp(<EditPatient patientId={id} />);
    const city = await screen.findByLabelText(/^city/i);
    // Someone else saves first.
    db.patients[0]!.version = 2;
    db.patients[0]!.address = { ...db.patients[0]!.address, city: 'Lyon' };
    await user.clear(city);
    await user.type(city, 'Marseille');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Changed by someone else')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Reload the record' }));
    expect(await screen.findByDisplayValue('Lyon')).toBeInTheDocument();
    expect(screen.queryByText('Changed by someone else')).not.toBeInTheDocument();
  });

  it('shows "not found" for a record out of reach', async () => {
    renderApp(<EditPatient patientId="10000000-0000-4000-8000-00000000ffff" />);
    expect(await screen.findByText('Not found')).toBeInTheDocument();
  });

  it('limits a patient to the contact fields', async () => {
    renderApp(<EditPatient patientId={id} scope="contact" />);
    await screen.findByRole('group', { name: 'Contact' });
    expect(screen.queryByLabelText(/^last name/i)).not.toBeInTheDocument();
    expect(screen.queryByLabelText(/social security/i)).not.toBeInTheDocument();
    expect(screen.getByLabelText(/postal code/i)).toBeInTheDocument();
  });
});
