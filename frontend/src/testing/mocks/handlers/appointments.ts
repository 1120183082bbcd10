// SPDX-License-Identifier: Apache-2.0
// MSW handlers for the appointments context: practitioners, free slots, lists and the changes,
// over a small in-memory store (reset after every test), typed from the generated schema.
import { http, HttpResponse } from 'msw';
import type { components } from '@/types/openapi.gen';
import { problem } from '../problem';

type S = components['schemas'];
type Listed = S['ListedAppointment'];

export const PRACTITIONER_ID = '20000000-0000-4000-8000-000000000001';
export const TYPE_ID = '30000000-0000-4000-8000-000000000001';
export const PATIENT_ID = '10000000-0000-4000-8000-000000000001';
export const TIME_ZONE = 'Europe/Paris';
export const TOO_SOON_DAY = '2026-11-25';

export const practitioners: S['Practitioner'][] = [
  {
    id: PRACTITIONER_ID,
    display_name: 'Dr Inès Benali',
    appointment_types: [
      { id: TYPE_ID, label: 'Consultation', duration_minutes: 20, color: '#2f6fde', portal_bookable: true },
      {
        id: '30000000-0000-4000-8000-000000000002',
        label: 'Acte technique',
        duration_minutes: 40,
        color: '#d33b3b',
        portal_bookable: false,
      },
    ],
  },
];

export function makeAppointment(over: Partial<Listed> = {}): Listed {
  return {
    id: '40000000-0000-4000-8000-000000000001',
    practitioner_id: PRACTITIONER_ID,
    patient_id: PATIENT_ID,
    type: { id: TYPE_ID, label: 'Consultation', color: '#2f6fde' },
    start: '2026-11-30T08:30:00Z',
    end: '2026-11-30T08:50:00Z',
    duration_minutes: 20,
    status: 'booked',
    booked_via: 'staff',
    booked_by: '00000000-0000-4000-8000-000000000001',
    cancellation: null,
    checked_in_at: null,
    completed_at: null,
    created_at: '2026-11-20T10:00:00Z',
    updated_at: '2026-11-20T10:00:00Z',
    version: 1,
    practitioner: { id: PRACTITIONER_ID, display_name: 'Dr Inès Benali' },
    patient: { id: PATIENT_ID, first_name: 'Hélène', last_name: 'Dupont', mrn: 'MS00000018', birth_date: '1938-01-01' },
    ...over,
  };
}

export const appointmentsDb: { items: Listed[] } = { items: [] };

export function resetAppointments(): void {
  appointmentsDb.items = [makeAppointment()];
}
resetAppointments();

/** Two free 20-minute slots on any day asked: 09:00 and 09:20 in Paris (winter). */
function slotsFor(from: string): S['Slot'][] {
  const day = from.slice(0, 10);
  return [
    { start: `${day}T08:00:00Z`, end: `${day}T08:20:00Z` },
    { start: `${day}T08:20:00Z`, end: `${day}T08:40:00Z` },
  ];
}

function changed(a: Listed, over: Partial<Listed>): Listed {
  Object.assign(a, over, { version: a.version + 1, updated_at: new Date().toISOString() });
  return a;
}

function findVersioned(id: string, request: Request): Listed | Response {
  const a = appointmentsDb.items.find((x) => x.id === id);
  if (!a) return problem(404, 'appointment_not_found');
  if (request.headers.get('If-Match') !== `"v${a.version}"`) return problem(412, 'stale_version');
  return a;
}

export const appointmentsHandlers = [
  http.get('*/api/v1/practitioners', () => HttpResponse.json({ items: practitioners })),
  http.get('*/api/v1/practitioners/:id/availability', ({ request, params }) => {
    const url = new URL(request.url);
    const from = url.searchParams.get('from') ?? '';
    return HttpResponse.json<S['Availability']>({
      practitioner_id: String(params.id),
      type_id: url.searchParams.get('type') ?? '',
      duration_minutes: 20,
      time_zone: TIME_ZONE,
      from: `${from.slice(0, 10)}T00:00:00Z`,
      to: `${(url.searchParams.get('to') ?? '').slice(0, 10)}T00:00:00Z`,
      slots: slotsFor(from),
    });
  }),
  http.get('*/api/v1/practitioners/:id/opening-hours', () =>
    HttpResponse.json<S['OpeningHours']>(
      {
        practitioner_id: PRACTITIONER_ID,
        ranges: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:30', end: '12:30' })),
        time_zone: TIME_ZONE,
        version: 1,
        updated_at: '2026-11-20T10:00:00Z',
      },
      { headers: { ETag: '"v1"' } },
    ),
  ),
  http.put('*/api/v1/practitioners/:id/opening-hours', async ({ request }) => {
    if (request.headers.get('If-Match') !== '"v1"') return problem(412, 'stale_version');
    const { ranges } = (await request.json()) as S['OpeningHoursInput'];
    const bad = ranges.findIndex((r) => r.end <= r.start);
    if (bad >= 0) {
      return problem(422, 'validation_failed', {
        errors: [{ field: `/ranges/${bad}/end`, code: 'not_after_start', message: 'must be after the start' }],
      });
    }
    return HttpResponse.json(
      {
        practitioner_id: PRACTITIONER_ID,
        ranges,
        time_zone: TIME_ZONE,
        version: 2,
        updated_at: '2026-11-24T08:00:00Z',
      },
      { headers: { ETag: '"v2"' } },
    );
  }),
  http.get('*/api/v1/practitioners/:id/absences', () => HttpResponse.json({ items: [] })),
  http.get('*/api/v1/appointments', ({ request }) => {
    const url = new URL(request.url);
    const patient = url.searchParams.get('patient_id');
    const practitioner = url.searchParams.get('practitioner_id');
    const items = appointmentsDb.items.filter(
      (a) => (!patient || a.patient_id === patient) && (!practitioner || a.practitioner_id === practitioner),
    );
    return HttpResponse.json<S['AppointmentList']>({ time_zone: TIME_ZONE, from: null, to: null, items });
  }),
  http.post('*/api/v1/appointments', async ({ request }) => {
    const body = (await request.json()) as S['BookingInput'];
    // A day the tests treat as inside the portal's notice period.
    if (body.start.startsWith(TOO_SOON_DAY)) {
      return problem(422, 'validation_failed', {
        errors: [
          {
            field: '/start',
            code: 'too_soon',
            message: 'online booking closes 24 hours before; call the practice',
          },
        ],
      });
    }
    const start = new Date(body.start);
    const a = makeAppointment({
      id: `40000000-0000-4000-8000-${String(appointmentsDb.items.length + 1).padStart(12, '0')}`,
      patient_id: body.patient_id ?? PATIENT_ID,
      start: body.start,
      end: new Date(start.getTime() + 20 * 60_000).toISOString(),
    });
    appointmentsDb.items.push(a);
    const other = appointmentsDb.items.find((x) => x !== a && x.patient_id === a.patient_id && x.start === a.start);
    const written: S['AppointmentWritten'] = {
      ...a,
      warnings: other
        ? [
            {
              code: 'patient_overlap',
              message: 'The patient has another appointment at that time.',
              appointment_id: other.id,
            },
          ]
        : [],
    };
    return HttpResponse.json(written, { status: 201 });
  }),
  http.post('*/api/v1/appointments/:id/check-in', ({ params, request }) => {
    const a = findVersioned(String(params.id), request);
    if (a instanceof Response) return a;
    return HttpResponse.json(changed(a, { status: 'checked_in', checked_in_at: new Date().toISOString() }));
  }),
  http.post('*/api/v1/appointments/:id/complete', ({ params, request }) => {
    const a = findVersioned(String(params.id), request);
    if (a instanceof Response) return a;
    return HttpResponse.json(changed(a, { status: 'completed', completed_at: new Date().toISOString() }));
  }),
  http.post('*/api/v1/appointments/:id/cancel', async ({ params, request }) => {
    const a = findVersioned(String(params.id), request);
    if (a instanceof Response) return a;
    const body = (await request.json()) as { reason?: string };
    if (a.booked_via === 'portal' && a.start < '2026-12-01') {
      return problem(409, 'appointment.cancel_too_late', {
        detail: 'Online cancellation closes 24 hours before the appointment; call the practice.',
      });
    }
    return HttpResponse.json(
      changed(a, {
        status: 'cancelled',
        cancellation: { reason: body.reason ?? '', by: 'u', by_role: 'secretary', at: new Date().toISOString() },
      }),
    );
  }),
  http.post('*/api/v1/appointments/:id/reschedule', async ({ params, request }) => {
    const a = findVersioned(String(params.id), request);
    if (a instanceof Response) return a;
    const { start } = (await request.json()) as { start: string };
    const end = new Date(new Date(start).getTime() + a.duration_minutes * 60_000).toISOString().replace('.000Z', 'Z');
    return HttpResponse.json({ ...changed(a, { start, end }), warnings: [] });
  }),
];
