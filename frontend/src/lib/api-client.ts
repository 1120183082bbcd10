// SPDX-License-Identifier: Apache-2.0
// The one HTTP client. Paths and bodies are typed from docs/openapi.json; cookies ride along
// (same origin, HttpOnly: JavaScript never sees a token); failures become ApiError. On a 401 it
// refreshes the session once — a single refresh in flight for the whole browser, because the
// refresh token rotates and presenting a used one ends the session — then retries the request.
import createClient from 'openapi-fetch';
import type { paths } from '@/types/openapi.gen';
import { ApiError } from './api-error';
import { publishSessionEvent, subscribeSessionEvents } from './session-events';

export { ApiError, isApiError } from './api-error';
export type { FieldError, Problem } from './api-error';

export interface SessionHooks {
  /**
   * The session has ended and could not be refreshed. Resolve once the user has signed in again
   * (the request is then retried), reject to give up (the request fails with its 401).
   */
  onSessionExpired: () => Promise<void>;
  /** The server refused because the account must enrol a second factor first. */
  onEnrolmentRequired: () => void;
}

let hooks: SessionHooks | null = null;

export function setSessionHooks(next: SessionHooks | null): void {
  hooks = next;
}

const REFRESH_PATH = '/api/v1/auth/refresh';
// Requests that must not trigger a refresh: they are the session's own life cycle.
const NO_REFRESH = ['/api/v1/auth/login', REFRESH_PATH, '/api/v1/auth/logout'];
const LOCK_NAME = 'medisecure-session-refresh';
// A rotation by another tab this recent means the cookie we will send is already the new one.
const RECENT_REFRESH_MS = 5_000;

let refreshInFlight: Promise<boolean> | null = null;
let lastRefreshAt = 0;

subscribeSessionEvents((event) => {
  if (event.type === 'refreshed') lastRefreshAt = Math.max(lastRefreshAt, event.at);
});

function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request(LOCK_NAME, fn) as Promise<T>) : fn();
}

/**
 * Rotates the session's tokens. Concurrent callers in this tab share one request; tabs take
 * turns through a Web Lock, and a tab that waited skips its own rotation when another tab has
 * just done it. Resolves true when the session is alive, false when it has ended (401); rejects
 * when the server cannot be reached or refuses for another reason, such as a rate limit (the
 * session may well be alive: do not ask for a sign-in).
 */
export function refreshSession(): Promise<boolean> {
  refreshInFlight ??= exclusive(async () => {
    if (Date.now() - lastRefreshAt < RECENT_REFRESH_MS) return true;
    const response = await fetch(REFRESH_PATH, { method: 'POST', credentials: 'same-origin' });
    if (response.status === 401) return false;
    if (!response.ok) {
      throw ApiError.fromResponse(response, await response.json().catch(() => null));
    }
    // The body repeats the tokens the cookies carry: never read it into JavaScript. (Not awaited:
    // some fetch implementations settle the cancellation only once the stream is collected.)
    response.body?.cancel().catch(() => undefined);
    lastRefreshAt = Date.now();
    publishSessionEvent({ type: 'refreshed', at: lastRefreshAt });
    return true;
  }).finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

/** Test helper: forgets refresh state between tests. */
export function resetRefreshStateForTest(): void {
  refreshInFlight = null;
  lastRefreshAt = 0;
}

function pathOf(url: string): string {
  return new URL(url, globalThis.location?.origin ?? 'http://localhost').pathname;
}

async function isEnrolmentRefusal(response: Response): Promise<boolean> {
  if (response.status !== 403) return false;
  try {
    const body = (await response.clone().json()) as { code?: unknown };
    return body.code === 'totp_enrolment_required';
  } catch {
    return false;
  }
}

/** fetch with the session's life cycle: refresh + retry on 401, enrolment hook on 403. */
async function sessionFetch(request: Request): Promise<Response> {
  const path = pathOf(request.url);
  const retry = NO_REFRESH.includes(path) ? null : request.clone();
  let response = await fetch(request);
  if (response.status === 401 && retry) {
    if (await refreshSession()) {
      response = await fetch(retry.clone());
    }
    if (response.status === 401 && hooks) {
      try {
        await hooks.onSessionExpired();
      } catch {
        return response;
      }
      response = await fetch(retry);
    }
  }
  if (hooks && (await isEnrolmentRefusal(response))) hooks.onEnrolmentRequired();
  return response;
}

export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? '',
  credentials: 'same-origin',
  headers: { Accept: 'application/json, application/problem+json' },
  fetch: sessionFetch,
});

type FetchResult<T> = { data?: T; error?: unknown; response: Response };

/** Awaits an `api.*` call: its data, or an ApiError. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  return (await unwrapWithResponse(call)).data;
}

/** Like unwrap, but also returns the response (for ETag and Location). */
export async function unwrapWithResponse<T>(call: Promise<FetchResult<T>>): Promise<{ data: T; response: Response }> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (e) {
    throw e instanceof ApiError ? e : ApiError.network(e);
  }
  if (!result.response.ok) throw ApiError.fromResponse(result.response, result.error);
  return { data: result.data as T, response: result.response };
}

/** The ETag of a read, for a later If-Match. */
export function etagOf(response: Response): string {
  const etag = response.headers.get('ETag');
  if (!etag) throw new ApiError({ status: 0, code: 'missing_etag', title: 'Missing ETag' });
  return etag;
}
