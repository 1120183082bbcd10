// SPDX-License-Identifier: Apache-2.0
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '@/testing/test-utils';
import { AccessLog } from './access-log';
import { AuditTrail } from './audit-trail';

describe('AuditTrail', () => {
  it('lists the records in words and filters by action through the address', async () => {
    const { user, router } = renderApp(<AuditTrail />, { path: '/admin/audit', at: '/admin/audit' });
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent('Zoé Accueil');
    expect(rows[1]).toHaveTextContent('Record viewed');
    expect(rows[2]).toHaveTextContent('Sign-in');
    expect(rows[2]).toHaveTextContent('bad_password');

    await user.selectOptions(screen.getByLabelText('Action'), 'auth.login');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    expect(router.state.location.search).toBe('?action=auth.login');
    await screen.findByText('Sign-in', { selector: 'td' });
    expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(2);
  });
});

describe('AccessLog', () => {
  it('tells the patient who accessed the record', async () => {
    renderApp(<AccessLog patientId="10000000-0000-4000-8000-000000000001" />);
    const row = (await screen.findAllByRole('row'))[1]!;
    expect(row).toHaveTextContent('Dr Lefèvre');
    expect(row).toHaveTextContent('Doctor');
    expect(row).toHaveTextContent('Record viewed');
  });
});

describe('AuditTrail links', () => {
  it("narrows the trail to a record's patient in one click, and the form follows", async () => {
    const { user, router } = renderApp(<AuditTrail />, { path: '/admin/audit', at: '/admin/audit' });
    await user.click(await screen.findByRole('link', { name: 'this patient' }));
    expect(router.state.location.search).toBe('?patient_id=10000000-0000-4000-8000-000000000001');
    expect(screen.getByLabelText('Patient id')).toHaveValue('10000000-0000-4000-8000-000000000001');
  });
});
