// SPDX-License-Identifier: Apache-2.0
// MSW handlers for the records context: ICD-10 search, encounters (create, read with ETag,
// change with If-Match, sign), vitals with the server's range check, allergies.
import { http, HttpResponse } from 'msw';
import type { components } from '@/types/openapi.gen';
import { fold } from '../db';
import { problem } from '../problem';

type Schemas = components['schemas'];
type Encounter = Schemas['Encounter'];

export const icd10: Schemas['Icd10Code'][] = [
  { code: 'J20.9', label: 'Bronchite aiguë, sans précision' },
  { code: 'E11.9', label: 'Diabète sucré de type 2, sans complication' },
  { code: 'I10', label: 'Hypertension essentielle (primitive)' },
];

export const encounters = new Map<string, Encounter>();

export function encounterFrom(input: Schemas['EncounterInput'], id: string): Encounter {
  const now = '2026-11-24T09:00:00Z';
  return {
    id,
    patient_id: input.patient_id,
    author_id: 'u-doctor',
    author_name: 'Dr Test',
    appointment_id: null,
    occurred_at: input.occurred_at ?? now,
    reason: input.reason,
    status: 'draft',
    notes: {
      subjective: input.notes?.subjective ?? null,
      objective: input.notes?.objective ?? null,
      assessment: input.notes?.assessment ?? null,
      plan: input.notes?.plan ?? '',
    },
    diagnoses: (input.diagnoses ?? []).map((d) => ({ ...d, primary: d.primary ?? false })),
    current_diagnoses: (input.diagnoses ?? []).map((d) => ({ ...d, primary: d.primary ?? false })),
    prescriptions: [],
    amendments: [],
    signed_at: null,
    signature: null,
    signature_valid: null,
    created_at: now,
    updated_at: now,
    version: 1,
  } as Encounter;
}

const etag = (e: Encounter) => ({ ETag: `"v${e.version}"` });

export const recordsHandlers = [
  http.get('*/api/v1/codes/icd10', ({ request }) => {
    const q = fold(new URL(request.url).searchParams.get('q') ?? '');
    const items = icd10.filter(
      (c) =>
        fold(c.code).startsWith(q) ||
        fold(c.label)
          .split(/\s+/)
          .some((w) => w.startsWith(q)),
    );
    return HttpResponse.json({ items });
  }),
  http.post('*/api/v1/encounters', async ({ request }) => {
    const input = (await request.json()) as Schemas['EncounterInput'];
    const e = encounterFrom(input, `20000000-0000-4000-8000-${String(encounters.size + 1).padStart(12, '0')}`);
    encounters.set(e.id, e);
    return HttpResponse.json(e, { status: 201, headers: etag(e) });
  }),
  http.get('*/api/v1/encounters/:id', ({ params }) => {
    const e = encounters.get(String(params.id));
    return e ? HttpResponse.json(e, { headers: etag(e) }) : problem(404, 'not_found');
  }),
  http.patch('*/api/v1/encounters/:id', async ({ params, request }) => {
    const e = encounters.get(String(params.id));
    if (!e) return problem(404, 'not_found');
    if (request.headers.get('If-Match') !== `"v${e.version}"`) return problem(412, 'stale_version');
    const patch = (await request.json()) as Schemas['EncounterPatch'];
    const next = { ...e, ...encounterFrom({ ...e, ...patch, patient_id: e.patient_id }, e.id), version: e.version + 1 };
    encounters.set(e.id, next);
    return HttpResponse.json(next, { headers: etag(next) });
  }),
  http.post('*/api/v1/patients/:id/vitals', async ({ request }) => {
    const input = (await request.json()) as Schemas['VitalsInput'];
    if (input.temperature_c !== undefined && input.temperature_c > 45) {
      return problem(422, 'validation_failed', {
        errors: [{ field: '/temperature_c', code: 'out_of_range', message: 'must be between 30 and 45' }],
      });
    }
    return HttpResponse.json({ id: 'v1', ...input }, { status: 201 });
  }),
  http.get('*/api/v1/patients/:id/allergies', () => HttpResponse.json({ items: [] })),
];

export function resetRecords(): void {
  encounters.clear();
}
