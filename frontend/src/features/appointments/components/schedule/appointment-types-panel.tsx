// SPDX-License-Identifier: Apache-2.0
// A practitioner's appointment types: label, length, colour, offered online or not, active or
// not (types are never deleted: past appointments keep theirs). New ones are added below.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { AsyncContent } from '@/components/async-content';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { isApiError } from '@/lib/api-error';
import { errorMessage, fieldErrorMessage } from '@/lib/error-message';
import { appointmentTypesQuery, useCreateAppointmentType, useUpdateAppointmentType } from '../../api/schedules';
import type { AppointmentType } from '../../types';
import { TypeSwatch } from '../status-badge';

export function AppointmentTypesPanel({ practitionerId, canEdit }: { practitionerId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const query = useQuery(appointmentTypesQuery(practitionerId));
  const update = useUpdateAppointmentType(practitionerId);
  const items = query.data?.items ?? [];

  const toggle = (type: AppointmentType, patch: { active?: boolean; portal_bookable?: boolean }) =>
    update.mutate(
      { type, patch },
      {
        onSuccess: () => toast.success(t('appointments.schedule.typeSaved')),
        onError: (e) => toast.error(errorMessage(t, e)),
      },
    );

  return (
    <div className="stack">
      <AsyncContent query={query} isEmpty={items.length === 0} empty={t('appointments.schedule.noTypes')}>
        <ul className="appt-list">
          {items.map((x) => (
            <li key={x.id} className="appt-list__item" style={{ borderLeftColor: x.color }}>
              <div className="appt-list__main">
                <span className="appt-list__when">
                  <TypeSwatch color={x.color} /> {x.label}
                </span>
                <span className="muted small">
                  {t('appointments.minutes', { count: x.duration_minutes })} ·{' '}
                  {x.portal_bookable ? t('appointments.schedule.online') : t('appointments.schedule.notOnline')} ·{' '}
                  {x.active ? t('appointments.schedule.active') : t('appointments.schedule.inactive')}
                </span>
              </div>
              {canEdit && (
                <div className="button-row">
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    disabled={update.isPending}
                    onClick={() => toggle(x, { portal_bookable: !x.portal_bookable })}
                  >
                    {x.portal_bookable ? t('appointments.schedule.stopOnline') : t('appointments.schedule.offerOnline')}
                    <span className="visually-hidden"> {x.label}</span>
                  </button>
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    disabled={update.isPending}
                    onClick={() => toggle(x, { active: !x.active })}
                  >
                    {x.active ? t('appointments.schedule.deactivate') : t('appointments.schedule.activate')}
                    <span className="visually-hidden"> {x.label}</span>
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      </AsyncContent>
      {canEdit && <NewTypeForm practitionerId={practitionerId} />}
    </div>
  );
}

function NewTypeForm({ practitionerId }: { practitionerId: string }) {
  const { t } = useTranslation();
  const create = useCreateAppointmentType(practitionerId);
  const [label, setLabel] = useState('');
  const [duration, setDuration] = useState('20');
  const [color, setColor] = useState('#2f6fde');
  const [online, setOnline] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const submit = async () => {
    setErrors({});
    setFormError(null);
    if (!label.trim()) {
      setErrors({ label: t('validation.required') });
      return;
    }
    try {
      await create.mutateAsync({
        label: label.trim(),
        duration_minutes: Number(duration),
        color,
        portal_bookable: online,
      });
      toast.success(t('appointments.schedule.typeSaved'));
      setLabel('');
    } catch (e) {
      if (!isApiError(e)) throw e;
      const byField: Record<string, string> = {};
      for (const fe of e.fieldErrors) byField[fe.field.replace(/^\//, '')] = fieldErrorMessage(t, fe);
      setErrors(byField);
      if (e.fieldErrors.length === 0) setFormError(errorMessage(t, e));
    }
  };

  return (
    <fieldset className="stack schedule-form">
      <legend>{t('appointments.schedule.newType')}</legend>
      {formError && <Alert tone="error">{formError}</Alert>}
      <div className="grid">
        <Field label={t('appointments.schedule.typeLabel')} error={errors.label} required>
          <input className="input" maxLength={60} value={label} onChange={(e) => setLabel(e.target.value)} />
        </Field>
        <Field
          label={t('appointments.schedule.typeDuration')}
          hint={t('appointments.schedule.typeDurationHint')}
          error={errors.duration_minutes}
          required
        >
          <input
            type="number"
            min={5}
            max={480}
            step={5}
            className="input"
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
          />
        </Field>
        <Field label={t('appointments.schedule.typeColor')} error={errors.color}>
          <input type="color" className="input" value={color} onChange={(e) => setColor(e.target.value)} />
        </Field>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={online} onChange={(e) => setOnline(e.target.checked)} />{' '}
        {t('appointments.schedule.typeOnline')}
      </label>
      <div className="button-row">
        <button type="button" className="button" disabled={create.isPending} onClick={() => void submit()}>
          {t('appointments.schedule.addType')}
        </button>
      </div>
    </fieldset>
  );
}
