// SPDX-License-Identifier: Apache-2.0
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { encounterFrom, encounters } from '@/testing/mocks/handlers/records';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';
import { EncounterEditor } from './encounter-editor';

const patientId = '10000000-0000-4000-8000-000000000001';

describe('EncounterEditor', () => {
  it('creates a draft with SOAP notes, an ICD-10 code found by search and a prescription', async () => {
    let body: Record<string, unknown> = {};
    server.use(
      http.post('*/api/v1/encounters', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        const e = encounterFrom({ patient_id: patientId, reason: 'x' }, '20000000-0000-4000-8000-000000000009');
        return HttpResponse.json(e, { status: 201, headers: { ETag: '"v1"' } });
      }),
    );
    const onCreated = vi.fn();
    const { user } = renderApp(
      <EncounterEditor patientId={patientId} onCreated={onCreated} onDiscarded={vi.fn()} onReload={vi.fn()} />,
    );
    await user.type(screen.getByLabelText(/^Reason/), 'Toux fébrile');
    await user.type(screen.getByLabelText(/^Assessment/), 'Bronchite probable');
    await user.type(screen.getByRole('combobox', { name: /Add a diagnosis/ }), 'bronch');
    await user.click(await screen.findByRole('option', { name: /J20\.9/ }));
    expect(screen.getByRole('list', { name: 'Diagnoses' })).toHaveTextContent('J20.9');
    await user.click(screen.getByRole('button', { name: 'Add a drug' }));
    await user.type(screen.getByLabelText(/^Drug/), 'Paracétamol 1 g');
    await user.type(screen.getByLabelText(/^Dose/), '1 comprimé');
    await user.type(screen.getByLabelText(/^Frequency/), '3 fois par jour');
    await user.type(screen.getByLabelText(/^Duration/), '5 jours');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));

    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith('20000000-0000-4000-8000-000000000009'));
    expect(body).toMatchObject({
      patient_id: patientId,
      reason: 'Toux fébrile',
      notes: { assessment: 'Bronchite probable' },
      diagnoses: [{ code: 'J20.9', label: 'Bronchite aiguë, sans précision', primary: true }],
      prescriptions: [
        {
          drug: 'Paracétamol 1 g',
          dose: '1 comprimé',
          route: 'oral',
          frequency: '3 fois par jour',
          duration: '5 jours',
        },
      ],
    });
  });

  it('refuses to send a prescription line with missing fields', async () => {
    const onCreated = vi.fn();
    const { user } = renderApp(
      <EncounterEditor patientId={patientId} onCreated={onCreated} onDiscarded={vi.fn()} onReload={vi.fn()} />,
    );
    await user.type(screen.getByLabelText(/^Reason/), 'Contrôle');
    await user.click(screen.getByRole('button', { name: 'Add a drug' }));
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(await screen.findByText('The form has errors.', { exact: false })).toBeInTheDocument();
    expect(screen.getByLabelText(/^Drug/)).toHaveAttribute('aria-invalid', 'true');
    expect(onCreated).not.toHaveBeenCalled();
  });

  it('saves a draft with the ETag it read, and offers a reload when it changed meanwhile', async () => {
    const draft = encounterFrom({ patient_id: patientId, reason: 'Contrôle' }, '20000000-0000-4000-8000-000000000001');
    // Someone else saved version 2 meanwhile; this screen holds version 1.
    encounters.set(draft.id, { ...draft, version: 2 });
    const onReload = vi.fn();
    const { user } = renderApp(
      <EncounterEditor
        patientId={patientId}
        draft={{ encounter: draft, etag: '"v1"' }}
        onCreated={vi.fn()}
        onDiscarded={vi.fn()}
        onReload={onReload}
      />,
    );
    await user.type(screen.getByLabelText(/^Plan/), 'Revoir dans un mois');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(await screen.findByText('Changed by someone else')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Reload the record' }));
    expect(onReload).toHaveBeenCalled();
  });
});
