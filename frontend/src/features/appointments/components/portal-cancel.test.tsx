// SPDX-License-Identifier: Apache-2.0
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { appointmentsDb, makeAppointment } from '@/testing/mocks/handlers/appointments';
import { renderApp } from '@/testing/test-utils';
import { PortalCancel } from './portal-cancel';

describe('PortalCancel', () => {
  it('cancels after confirmation', async () => {
    const a = appointmentsDb.items[0]!;
    a.start = '2026-12-10T08:30:00Z';
    const { user } = renderApp(<PortalCancel appointment={a} timeZone="Europe/Paris" />);
    await user.click(screen.getByRole('button', { name: /^Cancel/ }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel the appointment' });
    await user.click(within(dialog).getByRole('button', { name: 'Yes, cancel' }));
    expect(await screen.findByText('Appointment cancelled.')).toBeInTheDocument();
    expect(appointmentsDb.items[0]!.status).toBe('cancelled');
  });

  it('says, in words, that it is too late to cancel online', async () => {
    appointmentsDb.items[0] = makeAppointment({ booked_via: 'portal', start: '2026-11-25T08:30:00Z' });
    const { user } = renderApp(<PortalCancel appointment={appointmentsDb.items[0]} timeZone="Europe/Paris" />);
    await user.click(screen.getByRole('button', { name: /^Cancel/ }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel the appointment' });
    await user.click(within(dialog).getByRole('button', { name: 'Yes, cancel' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Online cancellation closes 24 hours before. Please call the practice.',
    );
    expect(appointmentsDb.items[0].status).toBe('booked');
  });

  it('offers nothing for an appointment that is no longer booked', () => {
    renderApp(<PortalCancel appointment={makeAppointment({ status: 'completed' })} timeZone="Europe/Paris" />);
    expect(screen.queryByRole('button', { name: /^Cancel/ })).not.toBeInTheDocument();
  });
});
