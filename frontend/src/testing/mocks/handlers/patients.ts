// SPDX-License-Identifier: Apache-2.0
// MSW handlers for the patients context: search (accent-insensitive prefixes), read with ETag,
// register with the duplicate check, merge-patch with If-Match.
import { http, HttpResponse } from 'msw';
import type { components } from '@/types/openapi.gen';
import { db, fold, makePatient } from '../db';
import { problem } from '../problem';

type Patient = components['schemas']['Patient'];

function summary(p: Patient) {
  const { id, mrn, first_name, last_name, birth_name, sex, birth_date, age, archived } = p;
  return { id, mrn, first_name, last_name, birth_name, sex, birth_date, age, archived };
}

export const patientsHandlers = [
  http.get('*/api/v1/patients', ({ request }) => {
    const url = new URL(request.url);
    const terms = fold(url.searchParams.get('q') ?? '')
      .split(/\s+/)
      .filter(Boolean);
    const mrn = url.searchParams.get('mrn');
    const items = db.patients
      .filter((p) => !mrn || p.mrn === mrn)
      .filter((p) => {
        const words = fold(`${p.first_name} ${p.last_name}`).split(/[\s-]+/);
        return terms.every((t) => words.some((w) => w.startsWith(t)));
      })
      .map(summary);
    return HttpResponse.json({ items, next_cursor: null });
  }),
  http.get('*/api/v1/patients/:id', ({ params }) => {
    const p = db.patients.find((x) => x.id === params.id);
    return p ? HttpResponse.json(p, { headers: { ETag: `"${p.version}"` } }) : problem(404, 'not_found');
  }),
  http.post('*/api/v1/patients', async ({ request }) => {
    const input = (await request.json()) as components['schemas']['PatientInput'];
    const allow = new URL(request.url).searchParams.get('allow_duplicate') === 'true';
    const same = db.patients.filter(
      (p) => fold(p.last_name) === fold(input.last_name) && p.birth_date === input.birth_date,
    );
    if (same.length && !allow) {
      return problem(409, 'patient.possible_duplicate', {
        title: 'Possible duplicate',
        candidates: same.map((p) => ({ ...summary(p), reason: 'same_name_and_birth_date' })),
      });
    }
    const p = makePatient({
      ...input,
      id: `10000000-0000-4000-8000-${String(db.patients.length + 1).padStart(12, '0')}`,
      mrn: `MS${String(db.patients.length + 1000).padStart(8, '0')}`,
    });
    db.patients.push(p);
    return HttpResponse.json(p, { status: 201, headers: { ETag: `"${p.version}"` } });
  }),
  http.patch('*/api/v1/patients/:id', async ({ params, request }) => {
    const p = db.patients.find((x) => x.id === params.id);
    if (!p) return problem(404, 'not_found');
    const ifMatch = request.headers.get('If-Match');
    if (!ifMatch) return problem(428, 'if_match_required');
    if (ifMatch !== `"${p.version}"`) return problem(412, 'stale_version', { title: 'Precondition failed' });
    const patch = (await request.json()) as Record<string, unknown>;
    Object.assign(p, patch, { version: p.version + 1 });
    return HttpResponse.json(p, { headers: { ETag: `"${p.version}"` } });
  }),
];
