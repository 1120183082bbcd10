// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error';

describe('ApiError.fromResponse', () => {
  it('reads a problem document with field errors and candidates', () => {
    const res = new Response(null, { status: 422 });
    const e = ApiError.fromResponse(res, {
      type: 'urn:x',
      title: 'Invalid input',
      status: 422,
      detail: 'Check the fields',
      code: 'validation_failed',
      instance: 'urn:request:42',
      errors: [{ field: '/address/postal_code', code: 'too_long', message: 'too long' }, { bogus: true }],
      candidates: [{ id: 'p1' }],
    });
    expect(e).toMatchObject({
      status: 422,
      code: 'validation_failed',
      title: 'Invalid input',
      instance: 'urn:request:42',
    });
    expect(e.fieldErrors).toEqual([{ field: '/address/postal_code', code: 'too_long', message: 'too long' }]);
    expect(e.candidates).toEqual([{ id: 'p1' }]);
  });

  it('reads Retry-After on a lockout', () => {
    const res = new Response(null, { status: 429, headers: { 'Retry-After': '900' } });
    const e = ApiError.fromResponse(res, {
      type: 'x',
      title: 'Locked',
      status: 429,
      detail: '',
      code: 'login_locked',
      instance: '',
    });
    expect(e.retryAfter).toBe(900);
  });

  it('copes with an answer that is not a problem document (a proxy error page)', () => {
    const res = new Response(null, { status: 502, statusText: 'Bad Gateway' });
    const e = ApiError.fromResponse(res, '<html>…</html>');
    expect(e).toMatchObject({ status: 502, code: 'http_502', title: 'Bad Gateway' });
  });
});
