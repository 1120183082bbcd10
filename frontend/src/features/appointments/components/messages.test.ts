// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api-error';
import { i18n } from '@/lib/i18n';
import { nextTransitions } from '../types';
import { appointmentErrorMessage, appointmentFieldError } from './messages';

const t = i18n.t.bind(i18n);

function apiError(status: number, body: Record<string, unknown>): ApiError {
  return ApiError.fromResponse(new Response(null, { status }), {
    type: 'about:blank',
    title: 'Problem',
    status,
    detail: '',
    instance: 'urn:request:x',
    ...body,
  });
}

describe('appointment messages', () => {
  it('names the notice period the server states, in the user’s language', () => {
    expect(
      appointmentFieldError(t, {
        field: '/start',
        code: 'too_soon',
        message: 'online booking closes 48 hours before; call the practice',
      }),
    ).toBe('Online booking closes 48 hours before the appointment. Please call the practice.');
    expect(
      appointmentErrorMessage(
        t,
        apiError(409, {
          code: 'appointment.cancel_too_late',
          detail: 'Online cancellation closes 24 hours before the appointment',
        }),
      ),
    ).toBe('Online cancellation closes 24 hours before. Please call the practice.');
  });

  it('words the conflicts of the appointments context', () => {
    expect(appointmentErrorMessage(t, apiError(409, { code: 'appointment.slot_taken' }))).toBe(
      'This slot has just been taken. Choose another one.',
    );
  });
});

describe('nextTransitions', () => {
  const now = new Date('2026-11-30T09:00:00Z');
  it('offers no-show only once the appointment has started', () => {
    expect(nextTransitions({ status: 'booked', start: '2026-11-30T10:00:00Z' }, now)).toEqual(['check-in']);
    expect(nextTransitions({ status: 'booked', start: '2026-11-30T08:00:00Z' }, now)).toEqual(['check-in', 'no-show']);
    expect(nextTransitions({ status: 'checked_in', start: '2026-11-30T08:00:00Z' }, now)).toEqual(['complete']);
    expect(nextTransitions({ status: 'cancelled', start: '2026-11-30T08:00:00Z' }, now)).toEqual([]);
  });
});
