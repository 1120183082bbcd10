// SPDX-License-Identifier: Apache-2.0
// A practitioner's weekly opening hours (practice time): ranges per weekday, saved as one
// versioned whole (If-Match). The server's field errors ("/ranges/2/end") are shown on the row.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { AsyncContent } from '@/components/async-content';
import { Alert } from '@/components/ui/alert';
import { isApiError } from '@/lib/api-error';
import { errorMessage, fieldErrorMessage } from '@/lib/error-message';
import { useLocale } from '@/lib/i18n';
import { openingHoursQuery, useSaveOpeningHours } from '../../api/schedules';
import type { OpeningRange } from '../../types';

const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;

function weekdayName(weekday: number, locale: string): string {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, 0, weekday)),
  );
}

export function OpeningHoursEditor({ practitionerId, canEdit }: { practitionerId: string; canEdit: boolean }) {
  const query = useQuery(openingHoursQuery(practitionerId));
  return (
    <AsyncContent query={query} isEmpty={false} empty={null}>
      {query.data && (
        <RangesForm
          key={query.data.etag}
          practitionerId={practitionerId}
          initial={query.data.hours.ranges}
          etag={query.data.etag}
          canEdit={canEdit}
        />
      )}
    </AsyncContent>
  );
}

function RangesForm({
  practitionerId,
  initial,
  etag,
  canEdit,
}: {
  practitionerId: string;
  initial: readonly OpeningRange[];
  etag: string;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const save = useSaveOpeningHours(practitionerId);
  const [ranges, setRanges] = useState<OpeningRange[]>(() =>
    [...initial].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start)),
  );
  const [errors, setErrors] = useState<Record<number, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const update = (i: number, patch: Partial<OpeningRange>) =>
    setRanges((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const submit = async () => {
    setErrors({});
    setFormError(null);
    try {
      await save.mutateAsync({ ranges, etag });
      toast.success(t('appointments.schedule.hoursSaved'));
    } catch (e) {
      if (!isApiError(e)) throw e;
      const rows: Record<number, string> = {};
      const rest: string[] = [];
      for (const fe of e.fieldErrors) {
        const m = /^\/ranges\/(\d+)/.exec(fe.field);
        if (m) rows[Number(m[1])] = fieldErrorMessage(t, fe);
        else rest.push(fieldErrorMessage(t, fe));
      }
      setErrors(rows);
      setFormError(rest.length ? rest.join(' ') : e.fieldErrors.length ? null : errorMessage(t, e));
    }
  };

  return (
    <div className="stack">
      {formError && <Alert tone="error">{formError}</Alert>}
      {ranges.length === 0 && <p className="muted">{t('appointments.schedule.noHours')}</p>}
      <ul className="hours-list">
        {ranges.map((r, i) => (
          <li key={i} className="hours-row">
            <div className="field">
              <label htmlFor={`hours-${i}-day`}>{t('appointments.schedule.weekday')}</label>
              <select
                id={`hours-${i}-day`}
                className="input"
                disabled={!canEdit}
                value={r.weekday}
                onChange={(e) => update(i, { weekday: Number(e.target.value) })}
              >
                {weekdays.map((d) => (
                  <option key={d} value={d}>
                    {weekdayName(d, locale)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`hours-${i}-start`}>{t('appointments.schedule.from')}</label>
              <input
                id={`hours-${i}-start`}
                type="time"
                step={300}
                className="input"
                disabled={!canEdit}
                value={r.start}
                aria-invalid={errors[i] ? true : undefined}
                aria-describedby={errors[i] ? `hours-${i}-error` : undefined}
                onChange={(e) => update(i, { start: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor={`hours-${i}-end`}>{t('appointments.schedule.to')}</label>
              <input
                id={`hours-${i}-end`}
                type="time"
                step={300}
                className="input"
                disabled={!canEdit}
                value={r.end}
                aria-invalid={errors[i] ? true : undefined}
                aria-describedby={errors[i] ? `hours-${i}-error` : undefined}
                onChange={(e) => update(i, { end: e.target.value })}
              />
            </div>
            {canEdit && (
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => setRanges((rs) => rs.filter((_, j) => j !== i))}
              >
                {t('appointments.schedule.remove')}
                <span className="visually-hidden">
                  {' '}
                  {weekdayName(r.weekday, locale)} {r.start}–{r.end}
                </span>
              </button>
            )}
            {errors[i] && (
              <p id={`hours-${i}-error`} className="field__error" role="alert">
                {errors[i]}
              </p>
            )}
          </li>
        ))}
      </ul>
      {canEdit && (
        <div className="button-row">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setRanges((rs) => [...rs, { weekday: 1, start: '09:00', end: '12:00' }])}
          >
            {t('appointments.schedule.addRange')}
          </button>
          <button type="button" className="button" disabled={save.isPending} onClick={() => void submit()}>
            {save.isPending ? t('common.saving') : t('appointments.schedule.saveHours')}
          </button>
        </div>
      )}
    </div>
  );
}
