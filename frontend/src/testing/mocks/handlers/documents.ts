// SPDX-License-Identifier: Apache-2.0
// MSW handlers for documents: an upload decides the type from the bytes, as the server does
// (PDF and plain text accepted here, anything else 415).
import { http, HttpResponse } from 'msw';
import type { components } from '@/types/openapi.gen';
import { problem } from '../problem';

type Document = components['schemas']['Document'];

export const uploads: { query: Record<string, string>; text: string; contentType: string | null }[] = [];

export const documentsHandlers = [
  http.get('*/api/v1/patients/:id/documents', () => HttpResponse.json({ items: [], next_cursor: null })),
  http.post('*/api/v1/patients/:id/documents', async ({ params, request }) => {
    const url = new URL(request.url);
    const text = await request.text();
    if (text.startsWith('MZ')) return problem(415, 'unsupported_media_type', { title: 'Unsupported Media Type' });
    uploads.push({
      query: Object.fromEntries(url.searchParams),
      text,
      contentType: request.headers.get('Content-Type'),
    });
    const d: Document = {
      id: '40000000-0000-4000-8000-000000000001',
      patient_id: String(params.id),
      category: url.searchParams.get('category') as Document['category'],
      title: url.searchParams.get('title') ?? '',
      filename: url.searchParams.get('filename') ?? 'document',
      content_type: 'text/plain; charset=utf-8',
      size: text.length,
      sha256: '0'.repeat(64),
      encounter_id: null,
      visible_to_patient: url.searchParams.get('visible_to_patient') !== 'false',
      has_thumbnail: false,
      uploaded_by_role: 'secretary',
      uploaded_at: '2026-11-24T10:00:00Z',
      deleted_at: null,
    };
    return HttpResponse.json(d, { status: 201 });
  }),
];

export function resetDocuments(): void {
  uploads.length = 0;
}
