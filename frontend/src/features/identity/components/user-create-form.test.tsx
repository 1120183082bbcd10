// SPDX-License-Identifier: Apache-2.0
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '@/testing/mocks/db';
import { renderApp } from '@/testing/test-utils';
import { UserCreateForm, type PatientPicker } from './user-create-form';

const picker: PatientPicker = ({ onChange, error }) => (
  <div>
    <button type="button" onClick={() => onChange('10000000-0000-4000-8000-000000000001')}>
      pick patient
    </button>
    {error && <p>{error}</p>}
  </div>
);

describe('UserCreateForm', () => {
  it('shows the generated temporary password once, then opens the account', async () => {
    const { user } = renderApp(<UserCreateForm patientPicker={picker} />, {
      path: '/admin/users/new',
      at: '/admin/users/new',
    });
    await user.type(screen.getByLabelText(/^e-mail/i), 'new.nurse@example.test');
    await user.type(screen.getByLabelText(/display name/i), 'Nina Nurse');
    await user.selectOptions(screen.getByLabelText(/^role/i), 'nurse');
    await user.click(screen.getByRole('button', { name: 'Create user' }));

    const dialog = await screen.findByRole('dialog', { name: 'Temporary password' });
    expect(dialog).toHaveTextContent('Temp-Pass-1234-abcd');
    expect(db.users.at(-1)).toMatchObject({ email: 'new.nurse@example.test', role: 'nurse', patient_id: null });

    await user.click(screen.getByRole('button', { name: 'I have noted the password' }));
    expect(screen.queryByText('Temp-Pass-1234-abcd')).not.toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent(`/admin/users/${db.users.at(-1)!.id}`);
  });

  it('requires the linked patient record for a patient account', async () => {
    const { user } = renderApp(<UserCreateForm patientPicker={picker} />);
    await user.type(screen.getByLabelText(/^e-mail/i), 'p@example.test');
    await user.type(screen.getByLabelText(/display name/i), 'Paul Patient');
    await user.selectOptions(screen.getByLabelText(/^role/i), 'patient');
    await user.click(screen.getByRole('button', { name: 'Create user' }));
    expect(await screen.findByText('Choose the patient linked to the account')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'pick patient' }));
    await user.click(screen.getByRole('button', { name: 'Create user' }));
    await screen.findByRole('dialog');
    expect(db.users.at(-1)).toMatchObject({ role: 'patient', patient_id: '10000000-0000-4000-8000-000000000001' });
  });

  it('refuses a short initial password before sending it', async () => {
    const { user } = renderApp(<UserCreateForm patientPicker={picker} />);
    await user.type(screen.getByLabelText(/^e-mail/i), 'x@example.test');
    await user.type(screen.getByLabelText(/display name/i), 'X');
    await user.type(screen.getByLabelText(/initial password/i), 'short');
    await user.click(screen.getByRole('button', { name: 'Create user' }));
    expect(await screen.findByText('At least 12 characters')).toBeInTheDocument();
    expect(db.users).toHaveLength(2);
  });
});
