// SPDX-License-Identifier: Apache-2.0
// RFC 9457 answers as the backend writes them.
import { HttpResponse } from 'msw';
import type { Problem } from '@/lib/api-error';

export function problem(
  status: number,
  code: string,
  extra: Partial<Problem> & Record<string, unknown> = {},
  headers: Record<string, string> = {},
): HttpResponse<Problem> {
  return HttpResponse.json<Problem>(
    {
      type: `urn:medisecure:problem:${code}`,
      title: extra.title ?? `Problem ${status}`,
      status,
      detail: extra.detail ?? '',
      code,
      instance: 'urn:request:test',
      ...extra,
    },
    { status, headers: { 'Content-Type': 'application/problem+json', ...headers } },
  );
}
