// SPDX-License-Identifier: Apache-2.0
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PRACTITIONER_ID } from '@/testing/mocks/handlers/appointments';
import { renderApp } from '@/testing/test-utils';
import { OpeningHoursEditor } from './opening-hours-editor';

describe('OpeningHoursEditor', () => {
  it('shows the server’s error on the range it concerns, then saves once corrected', async () => {
    const { user } = renderApp(<OpeningHoursEditor practitionerId={PRACTITIONER_ID} canEdit />);
    const rows = await screen.findAllByRole('listitem');
    expect(rows).toHaveLength(5);
    const end = within(rows[1]!).getByLabelText('To');
    await user.clear(end);
    await user.type(end, '08:00');
    await user.click(screen.getByRole('button', { name: 'Save the hours' }));
    expect(await within(rows[1]!).findByRole('alert')).toHaveTextContent(/./);
    expect(end).toHaveAttribute('aria-invalid', 'true');
    expect(within(rows[0]!).getByLabelText('To')).not.toHaveAttribute('aria-invalid');

    await user.clear(end);
    await user.type(end, '12:00');
    await user.click(screen.getByRole('button', { name: 'Save the hours' }));
    expect(await screen.findByText('Opening hours saved.')).toBeInTheDocument();
  });

  it('is read-only for those who may not change it', async () => {
    renderApp(<OpeningHoursEditor practitionerId={PRACTITIONER_ID} canEdit={false} />);
    const starts = await screen.findAllByLabelText('From');
    expect(starts).toHaveLength(5);
    for (const input of starts) expect(input).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Save the hours' })).not.toBeInTheDocument();
  });
});
