// SPDX-License-Identifier: Apache-2.0
// ApiError: an RFC 9457 problem (application/problem+json) from the server, or a network failure,
// as one typed value that screens render (field errors next to fields, `title` in toasts).
import type { components } from '@/types/openapi.gen';

export type Problem = components['schemas']['Problem'];
export type FieldError = NonNullable<Problem['errors']>[number];

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly instance: string;
  readonly fieldErrors: readonly FieldError[];
  readonly candidates: readonly unknown[];
  /** Seconds to wait, from Retry-After (429). */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    code: string;
    title: string;
    detail?: string;
    instance?: string;
    fieldErrors?: readonly FieldError[];
    candidates?: readonly unknown[];
    retryAfter?: number | null;
  }) {
    super(init.detail || init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail ?? '';
    this.instance = init.instance ?? '';
    this.fieldErrors = init.fieldErrors ?? [];
    this.candidates = init.candidates ?? [];
    this.retryAfter = init.retryAfter ?? null;
  }

  get isUnauthenticated(): boolean {
    return this.status === 401;
  }
  get isForbidden(): boolean {
    return this.status === 403;
  }
  get isNotFound(): boolean {
    return this.status === 404;
  }
  get isNetwork(): boolean {
    return this.code === 'network_error';
  }

  /** Builds the error from a failed response and its body (already parsed, or text). */
  static fromResponse(response: Response, body: unknown): ApiError {
    const retryHeader = response.headers.get('Retry-After');
    const retryAfter = retryHeader !== null && /^\d+$/.test(retryHeader) ? Number(retryHeader) : null;
    if (isProblem(body)) {
      return new ApiError({
        status: body.status || response.status,
        code: body.code,
        title: body.title,
        detail: body.detail,
        instance: body.instance,
        fieldErrors: Array.isArray(body.errors) ? body.errors.filter(isFieldError) : [],
        candidates: 'candidates' in body && Array.isArray(body.candidates) ? body.candidates : [],
        retryAfter,
      });
    }
    // A proxy or an unexpected failure answered without a problem document.
    return new ApiError({
      status: response.status,
      code: `http_${response.status}`,
      title: response.statusText || `HTTP ${response.status}`,
      retryAfter,
    });
  }

  static network(cause: unknown): ApiError {
    const err = new ApiError({ status: 0, code: 'network_error', title: 'Network error' });
    (err as { cause?: unknown }).cause = cause;
    return err;
  }
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return typeof b.code === 'string' && typeof b.title === 'string';
}

function isFieldError(e: unknown): e is FieldError {
  if (typeof e !== 'object' || e === null) return false;
  const f = e as Record<string, unknown>;
  return typeof f.field === 'string' && typeof f.code === 'string' && typeof f.message === 'string';
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
