// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { absenceSpans, appointmentSpan, openOn } from './entries';
import { layoutDay, visibleRange } from './layout';

describe('layoutDay', () => {
  it('puts overlapping entries side by side and the others full width', () => {
    const placed = layoutDay([
      { id: 'a', start: 540, end: 560 },
      { id: 'b', start: 540, end: 580 },
      { id: 'c', start: 560, end: 580 },
      { id: 'd', start: 600, end: 620 },
    ]);
    const byId = Object.fromEntries(placed.map((p) => [p.item.id, p]));
    expect(byId.b).toMatchObject({ lane: 0, lanes: 2 });
    expect(byId.a).toMatchObject({ lane: 1, lanes: 2 });
    // c starts when a ends: it takes a's lane.
    expect(byId.c).toMatchObject({ lane: 1, lanes: 2 });
    expect(byId.d).toMatchObject({ lane: 0, lanes: 1 });
  });
});

describe('visibleRange', () => {
  it('rounds to whole hours around the entries, or shows a working day', () => {
    expect(visibleRange([{ start: 8 * 60 + 30, end: 12 * 60 + 10 }])).toEqual({ start: 480, end: 780 });
    expect(visibleRange([])).toEqual({ start: 480, end: 1080 });
  });
});

describe('calendar entries in the practice’s time', () => {
  it('places an appointment on its local day and minutes, across daylight saving', () => {
    expect(appointmentSpan('2026-11-30T08:30:00Z', 20, 'Europe/Paris')).toEqual({
      date: '2026-11-30',
      start: 570,
      end: 590,
    });
    expect(appointmentSpan('2026-06-01T07:00:00Z', 30, 'Europe/Paris')).toMatchObject({ start: 540 });
  });

  it('cuts an absence of several days into one span per day', () => {
    const spans = absenceSpans(
      {
        id: 'x',
        practitioner_id: 'p',
        start: '2026-11-30T13:00:00Z',
        end: '2026-12-01T11:00:00Z',
        reason: 'Formation',
        created_by: 'u',
        created_at: '2026-11-01T00:00:00Z',
      },
      ['2026-11-30', '2026-12-01', '2026-12-02'],
      'Europe/Paris',
    );
    expect(spans).toEqual([
      { date: '2026-11-30', start: 840, end: 1440 },
      { date: '2026-12-01', start: 0, end: 720 },
    ]);
  });

  it('reads the opening ranges of a weekday', () => {
    const ranges = [
      { weekday: 1, start: '08:30', end: '12:30' },
      { weekday: 2, start: '14:00', end: '18:00' },
    ];
    expect(openOn('2026-11-30', ranges)).toEqual([{ start: 510, end: 750 }]);
    expect(openOn('2026-12-06', ranges)).toEqual([]);
  });
});
