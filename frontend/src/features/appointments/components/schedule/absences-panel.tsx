// SPDX-License-Identifier: Apache-2.0
// A practitioner's absences over the coming months: the list (remove one), and a form to add
// one in the practice's time. The server says which booked appointments fall inside a new
// absence; they are listed for the front desk to move.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { AsyncContent } from '@/components/async-content';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { isApiError } from '@/lib/api-error';
import { errorMessage, fieldErrorMessage } from '@/lib/error-message';
import { useLocale } from '@/lib/i18n';
import { addDays, formatZonedDateTime, fromWallClock, todayIn } from '@/utils/time-zone';
import { absencesQuery, useAddAbsence, useRemoveAbsence } from '../../api/schedules';
import type { AbsenceAdded } from '../../types';

const HORIZON_DAYS = 180;

function toInstant(local: string, timeZone: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(local);
  return m ? fromWallClock(m[1]!, m[2]!, timeZone).toISOString().replace('.000Z', 'Z') : null;
}

export function AbsencesPanel({
  practitionerId,
  timeZone,
  canEdit,
}: {
  practitionerId: string;
  timeZone: string;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const today = todayIn(timeZone);
  const query = useQuery(absencesQuery(practitionerId, today, addDays(today, HORIZON_DAYS)));
  const add = useAddAbsence(practitionerId);
  const remove = useRemoveAbsence(practitionerId);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [added, setAdded] = useState<AbsenceAdded | null>(null);
  const items = query.data?.items ?? [];

  const submit = async () => {
    setErrors({});
    setFormError(null);
    const local: Record<string, string> = {};
    const s = toInstant(start, timeZone);
    const e = toInstant(end, timeZone);
    if (!s) local.start = t('validation.required');
    if (!e) local.end = t('validation.required');
    if (!reason.trim()) local.reason = t('validation.required');
    if (Object.keys(local).length || !s || !e) {
      setErrors(local);
      return;
    }
    try {
      const result = await add.mutateAsync({ start: s, end: e, reason: reason.trim() });
      setAdded(result);
      setStart('');
      setEnd('');
      setReason('');
      toast.success(t('appointments.schedule.absenceAdded'));
    } catch (err) {
      if (!isApiError(err)) throw err;
      const byField: Record<string, string> = {};
      for (const fe of err.fieldErrors) byField[fe.field.replace(/^\//, '')] = fieldErrorMessage(t, fe);
      setErrors(byField);
      if (err.fieldErrors.length === 0) setFormError(errorMessage(t, err));
    }
  };

  return (
    <div className="stack">
      <AsyncContent query={query} isEmpty={items.length === 0} empty={t('appointments.schedule.noAbsences')}>
        <ul className="appt-list">
          {items.map((a) => (
            <li key={a.id} className="appt-list__item">
              <div className="appt-list__main">
                <span className="appt-list__when">{a.reason}</span>
                <span className="muted small">
                  {formatZonedDateTime(a.start, locale, timeZone)} → {formatZonedDateTime(a.end, locale, timeZone)}
                </span>
              </div>
              {canEdit && (
                <button
                  type="button"
                  className="button button--secondary button--small"
                  disabled={remove.isPending}
                  onClick={() =>
                    remove.mutate(a.id, {
                      onSuccess: () => toast.success(t('appointments.schedule.absenceRemoved')),
                      onError: (err) => toast.error(errorMessage(t, err)),
                    })
                  }
                >
                  {t('appointments.schedule.remove')}
                  <span className="visually-hidden"> {a.reason}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      </AsyncContent>
      {added && added.conflicting_appointments.length > 0 && (
        <Alert tone="warning" title={t('appointments.schedule.conflictsTitle')}>
          <ul>
            {added.conflicting_appointments.map((c) => (
              <li key={c.id}>{formatZonedDateTime(c.start, locale, timeZone)}</li>
            ))}
          </ul>
        </Alert>
      )}
      {canEdit && (
        <fieldset className="stack schedule-form">
          <legend>{t('appointments.schedule.addAbsence')}</legend>
          {formError && <Alert tone="error">{formError}</Alert>}
          <div className="grid">
            <Field label={t('appointments.schedule.absenceStart')} error={errors.start} required>
              <input type="datetime-local" className="input" value={start} onChange={(e) => setStart(e.target.value)} />
            </Field>
            <Field label={t('appointments.schedule.absenceEnd')} error={errors.end} required>
              <input type="datetime-local" className="input" value={end} onChange={(e) => setEnd(e.target.value)} />
            </Field>
            <Field label={t('appointments.schedule.absenceReason')} error={errors.reason} required>
              <input className="input" maxLength={100} value={reason} onChange={(e) => setReason(e.target.value)} />
            </Field>
          </div>
          <div className="button-row">
            <button type="button" className="button" disabled={add.isPending} onClick={() => void submit()}>
              {t('appointments.schedule.addAbsence')}
            </button>
          </div>
        </fieldset>
      )}
    </div>
  );
}
