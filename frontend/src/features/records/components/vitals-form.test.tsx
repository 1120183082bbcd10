// SPDX-License-Identifier: Apache-2.0
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';
import { parseDecimal, VitalsForm } from './vitals-form';

const patientId = '10000000-0000-4000-8000-000000000001';

describe('VitalsForm', () => {
  it('checks ranges and the pressure pair before sending anything', async () => {
    let sent = 0;
    server.use(
      http.post('*/api/v1/patients/:id/vitals', () => {
        sent++;
        return HttpResponse.json({}, { status: 201 });
      }),
    );
    const { user } = renderApp(<VitalsForm patientId={patientId} />);
    await user.type(screen.getByLabelText(/^Systolic/), '120');
    await user.type(screen.getByLabelText(/^Heart rate/), '400');
    await user.click(screen.getByRole('button', { name: 'Record vital signs' }));

    expect(await screen.findByText('Enter systolic and diastolic together.')).toBeInTheDocument();
    expect(screen.getByText('Between 20 and 300.')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Heart rate/)).toHaveAttribute('aria-invalid', 'true');
    expect(sent).toBe(0);
  });

  it('derives the BMI, accepts a decimal comma and sends numbers', async () => {
    let body: unknown;
    server.use(
      http.post('*/api/v1/patients/:id/vitals', async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({}, { status: 201 });
      }),
    );
    const { user } = renderApp(<VitalsForm patientId={patientId} latestHeightCm={170} />);
    await user.type(screen.getByLabelText(/^Weight/), '72,5');
    // The latest height on record is used when none is typed.
    expect(await screen.findByText('25.1 kg/m²')).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^Temperature/), '37,8');
    await user.click(screen.getByRole('button', { name: 'Record vital signs' }));

    expect(await screen.findByText('Vital signs recorded.')).toBeInTheDocument();
    expect(body).toMatchObject({ weight_kg: 72.5, temperature_c: 37.8 });
    expect(body).not.toHaveProperty('height_cm');
  });

  it("puts the server's field error next to its field", async () => {
    server.use(
      http.post('*/api/v1/patients/:id/vitals', () =>
        HttpResponse.json(
          {
            type: 'urn:x',
            title: 'Validation failed',
            status: 422,
            code: 'validation_failed',
            detail: '',
            instance: '',
            errors: [{ field: '/spo2_pct', code: 'out_of_range', message: 'must be between 50 and 100' }],
          },
          { status: 422, headers: { 'Content-Type': 'application/problem+json' } },
        ),
      ),
    );
    const { user } = renderApp(<VitalsForm patientId={patientId} />);
    await user.type(screen.getByLabelText(/^SpO₂/), '97');
    await user.click(screen.getByRole('button', { name: 'Record vital signs' }));
    expect(await screen.findByText('must be between 50 and 100')).toBeInTheDocument();
    expect(screen.getByLabelText(/^SpO₂/)).toHaveAttribute('aria-invalid', 'true');
  });
});

describe('parseDecimal', () => {
  it('reads both separators and refuses other text', () => {
    expect(parseDecimal('37,5')).toBe(37.5);
    expect(parseDecimal(' 72.25 ')).toBe(72.25);
    expect(parseDecimal('')).toBeNull();
    expect(parseDecimal('12a')).toBeNaN();
  });
});
