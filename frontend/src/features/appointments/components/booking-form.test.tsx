// SPDX-License-Identifier: Apache-2.0
import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { appointmentsDb, practitioners, TOO_SOON_DAY } from '@/testing/mocks/handlers/appointments';
import { renderApp } from '@/testing/test-utils';
import { BookingForm } from './booking-form';

const patient = { id: '10000000-0000-4000-8000-000000000009', name: 'MARTIN Paul' };

describe('BookingForm', () => {
  it('books a free slot and hands back the server’s warnings', async () => {
    appointmentsDb.items[0]!.patient_id = patient.id;
    appointmentsDb.items[0]!.start = '2026-12-02T08:00:00Z';
    const onBooked = vi.fn();
    const { user } = renderApp(
      <BookingForm
        practitioners={practitioners}
        defaults={{ practitionerId: practitioners[0]!.id, date: '2026-12-02' }}
        timeZone="Europe/Paris"
        patient={patient}
        onBooked={onBooked}
        onCancel={() => {}}
      />,
    );
    const slot = screen.getByLabelText(/^Slot/);
    await within(slot).findByRole('option', { name: /^0?9:00/ });
    expect(screen.getByText('2 free slots')).toBeInTheDocument();
    await user.selectOptions(slot, '2026-12-02T08:00:00Z');
    await user.click(screen.getByRole('button', { name: 'Book' }));
    await vi.waitFor(() => expect(onBooked).toHaveBeenCalled());
    expect(onBooked.mock.calls[0]![0]).toMatchObject({
      start: '2026-12-02T08:00:00Z',
      warnings: [{ code: 'patient_overlap' }],
    });
  });

  it('asks staff for a patient before booking', async () => {
    const { user } = renderApp(
      <BookingForm
        practitioners={practitioners}
        defaults={{
          practitionerId: practitioners[0]!.id,
          date: '2026-12-02',
          start: '2026-12-02T08:00:00Z',
          typeId: practitioners[0]!.appointment_types[0]!.id,
        }}
        timeZone="Europe/Paris"
        patientPicker={({ error }) => <p role="note">picker {error}</p>}
        onBooked={() => {}}
        onCancel={() => {}}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'Book' }));
    expect(await screen.findByRole('note')).toHaveTextContent('Choose a patient.');
  });

  it('online: only the types offered online, no other time, and the notice period next to the slot', async () => {
    const { user } = renderApp(
      <BookingForm
        portal
        practitioners={practitioners}
        defaults={{ practitionerId: practitioners[0]!.id, date: TOO_SOON_DAY }}
        timeZone="Europe/Paris"
        patient={patient}
        onBooked={() => {}}
        onCancel={() => {}}
      />,
    );
    const type = screen.getByLabelText(/^Appointment type/);
    expect(
      within(type)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Consultation (20 min)']);
    const slot = screen.getByLabelText(/^Slot/);
    await within(slot).findByRole('option', { name: /^0?9:00/ });
    expect(within(slot).queryByRole('option', { name: 'Another time…' })).not.toBeInTheDocument();
    await user.selectOptions(slot, `${TOO_SOON_DAY}T08:00:00Z`);
    await user.click(screen.getByRole('button', { name: 'Book' }));
    expect(
      await screen.findByText('Online booking closes 24 hours before the appointment. Please call the practice.'),
    ).toBeInTheDocument();
    expect(slot).toHaveAttribute('aria-invalid', 'true');
  });
});
