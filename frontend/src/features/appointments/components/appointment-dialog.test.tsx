// SPDX-License-Identifier: Apache-2.0
import { useQuery } from '@tanstack/react-query';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { appointmentsDb } from '@/testing/mocks/handlers/appointments';
import { renderApp } from '@/testing/test-utils';
import { appointmentListQuery } from '../api/appointments';
import { AppointmentDialog } from './appointment-dialog';

/** The dialog over the list it was opened from, as the calendar shows it. */
function Harness() {
  const list = useQuery(appointmentListQuery({ patientId: '10000000-0000-4000-8000-000000000001' }));
  const a = list.data?.items[0] ?? null;
  return (
    <AppointmentDialog
      appointment={a}
      timeZone="Europe/Paris"
      chartHref={(id) => `/patients/${id}`}
      onClose={() => {}}
    />
  );
}

describe('AppointmentDialog', () => {
  it('shows who, when and what, and checks the patient in, then completes', async () => {
    const { user } = renderApp(<Harness />);
    const dialog = await screen.findByRole('dialog', { name: 'Appointment' });
    expect(dialog).toHaveTextContent('DUPONT Hélène');
    expect(dialog).toHaveTextContent('Consultation');
    expect(dialog).toHaveTextContent('Dr Inès Benali');
    // 08:30Z is 9:30 in Paris in winter, whatever the device's zone.
    expect(dialog).toHaveTextContent(/\b0?9:30/);
    expect(within(dialog).getByRole('link', { name: 'Open chart' })).toHaveAttribute(
      'href',
      '/patients/10000000-0000-4000-8000-000000000001',
    );

    await user.click(within(dialog).getByRole('button', { name: 'Check in' }));
    expect(await screen.findByText('Patient checked in.')).toBeInTheDocument();
    await user.click(await within(dialog).findByRole('button', { name: 'Complete' }));
    expect(await screen.findByText('Appointment completed.')).toBeInTheDocument();
    expect(appointmentsDb.items[0]).toMatchObject({ status: 'completed', version: 3 });
    expect(within(dialog).queryByRole('button', { name: 'Reschedule' })).not.toBeInTheDocument();
  });

  it('requires a reason to cancel, and sends it with the version shown', async () => {
    const { user } = renderApp(<Harness />);
    const dialog = await screen.findByRole('dialog', { name: 'Appointment' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel appointment' }));
    await user.click(within(dialog).getByRole('button', { name: 'Confirm the cancellation' }));
    expect(within(dialog).getByLabelText(/^Reason/)).toHaveAttribute('aria-invalid', 'true');
    expect(appointmentsDb.items[0]!.status).toBe('booked');
    await user.type(within(dialog).getByLabelText(/^Reason/), 'Patient called');
    await user.click(within(dialog).getByRole('button', { name: 'Confirm the cancellation' }));
    expect(await screen.findByText('Appointment cancelled.')).toBeInTheDocument();
    expect(appointmentsDb.items[0]).toMatchObject({ status: 'cancelled', cancellation: { reason: 'Patient called' } });
  });

  it('says so when someone changed the appointment meanwhile (412)', async () => {
    const { user } = renderApp(<Harness />);
    const dialog = await screen.findByRole('dialog', { name: 'Appointment' });
    appointmentsDb.items[0]!.version = 7; // changed elsewhere after the screen read it
    await user.click(within(dialog).getByRole('button', { name: 'Check in' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('This appointment was changed meanwhile');
    expect(appointmentsDb.items[0]!.status).toBe('booked');
  });

  it('moves the appointment to a free slot of another day', async () => {
    const { user } = renderApp(<Harness />);
    const dialog = await screen.findByRole('dialog', { name: 'Appointment' });
    await user.click(within(dialog).getByRole('button', { name: 'Reschedule' }));
    const date = within(dialog).getByLabelText(/^Day/);
    await user.clear(date);
    await user.type(date, '2026-12-02');
    const slot = within(dialog).getByLabelText(/^Slot/);
    await within(slot).findByRole('option', { name: /^0?9:20/ });
    await user.selectOptions(slot, '2026-12-02T08:20:00Z');
    await user.click(within(dialog).getByRole('button', { name: 'Reschedule' }));
    expect(await screen.findByText('Appointment rescheduled.')).toBeInTheDocument();
    expect(appointmentsDb.items[0]).toMatchObject({ start: '2026-12-02T08:20:00Z', end: '2026-12-02T08:40:00Z' });
  });
});
