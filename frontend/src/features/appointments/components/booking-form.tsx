// SPDX-License-Identifier: Apache-2.0
// Books an appointment for a patient: practitioner, appointment type, day and free slot (or,
// for staff, another time). The patient is fixed (from their chart) or picked with the picker the
// application provides (patients are another feature). The server's warnings (the patient has
// another appointment then; outside the opening hours) are shown once the booking is made.
import { zodResolver } from '@hookform/resolvers/zod';
import { useState, type ReactNode } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { isApiError } from '@/lib/api-error';
import { msg } from '@/lib/validation';
import { fromWallClock } from '@/utils/time-zone';
import { useBookAppointment } from '../api/appointments';
import type { AppointmentWritten, Practitioner } from '../types';
import { formMessage } from './form-message';
import { applyAppointmentErrors } from './messages';
import {
  OTHER_TIME,
  OtherTimeField,
  otherTimeGiven,
  otherTimeIssue,
  SlotSelect,
  slotChoiceFields,
} from './slot-select';

export type PatientPicker = (props: { onChange: (patientId: string) => void; error?: string | undefined }) => ReactNode;

const schema = z
  .object({
    practitioner_id: z.string().min(1, msg('validation.required')),
    type_id: z.string().min(1, msg('validation.required')),
    ...slotChoiceFields,
    patient_id: z.string().min(1, 'appointments.validation.patientRequired'),
  })
  .refine(otherTimeGiven, otherTimeIssue);
type Input = z.infer<typeof schema>;

/** The instant the form names: the chosen slot, or the other time on the chosen day. */
export function chosenStart(v: { slot: string; date: string; time: string }, timeZone: string): string {
  return v.slot === OTHER_TIME ? fromWallClock(v.date, v.time, timeZone).toISOString() : v.slot;
}

export interface BookingDefaults {
  practitionerId: string;
  typeId?: string | undefined;
  date: string;
  start?: string | undefined;
}

export function BookingForm({
  practitioners,
  defaults,
  timeZone,
  patient,
  patientPicker,
  onBooked,
  onCancel,
  portal = false,
}: {
  practitioners: readonly Practitioner[];
  defaults: BookingDefaults;
  timeZone: string;
  /** The patient, when the booking starts from their chart. */
  patient?: { id: string; name: string } | undefined;
  patientPicker?: PatientPicker | undefined;
  onBooked: (appointment: AppointmentWritten) => void;
  onCancel: () => void;
  /** A patient booking online: only the types offered online, only the offered slots. */
  portal?: boolean;
}) {
  const { t } = useTranslation();
  const book = useBookAppointment();
  const [formError, setFormError] = useState<string | null>(null);
  const typesOf = (id: string) =>
    (practitioners.find((p) => p.id === id)?.appointment_types ?? []).filter((x) => !portal || x.portal_bookable);
  const form = useForm<Input>({
    resolver: zodResolver(schema),
    defaultValues: {
      practitioner_id: defaults.practitionerId,
      type_id: defaults.typeId ?? typesOf(defaults.practitionerId)[0]?.id ?? '',
      date: defaults.date,
      slot: defaults.start ?? '',
      time: '',
      patient_id: patient?.id ?? '',
    },
  });
  const { errors } = form.formState;
  const [practitionerId, typeId, date, slot] = useWatch({
    control: form.control,
    name: ['practitioner_id', 'type_id', 'date', 'slot'],
  });
  const types = typesOf(practitionerId);

  const onSubmit = async (v: Input) => {
    setFormError(null);
    try {
      const booked = await book.mutateAsync({
        practitioner_id: v.practitioner_id,
        type_id: v.type_id,
        patient_id: v.patient_id,
        start: chosenStart(v, timeZone),
      });
      onBooked(booked);
    } catch (e) {
      if (!isApiError(e)) throw e;
      setFormError(
        applyAppointmentErrors(t, e, form.setError, {
          practitioner_id: 'practitioner_id',
          type_id: 'type_id',
          patient_id: 'patient_id',
          start: form.getValues('slot') === OTHER_TIME ? 'time' : 'slot',
        }),
      );
      // The slot may have gone to someone else meanwhile: the list of free slots is refreshed.
      if (e.code === 'appointment.slot_taken') form.setValue('slot', '');
    }
  };

  return (
    <form className="form" noValidate onSubmit={form.handleSubmit(onSubmit)}>
      {formError && <Alert tone="error">{formError}</Alert>}
      {patient ? (
        <p className="selected-patient">
          {t('appointments.booking.patient')} : <strong>{patient.name}</strong>
        </p>
      ) : (
        patientPicker && (
          <Controller
            control={form.control}
            name="patient_id"
            render={({ field }) => (
              <>{patientPicker({ onChange: field.onChange, error: formMessage(t, errors.patient_id?.message) })}</>
            )}
          />
        )
      )}
      <div className="grid">
        <Field label={t('appointments.practitioner')} error={formMessage(t, errors.practitioner_id?.message)} required>
          <select
            {...form.register('practitioner_id', {
              onChange: (e: { target: { value: string } }) => {
                const next = typesOf(e.target.value);
                if (!next.some((x) => x.id === form.getValues('type_id'))) form.setValue('type_id', next[0]?.id ?? '');
                form.setValue('slot', '');
              },
            })}
            className="input"
          >
            {practitioners.map((p) => (
              <option key={p.id} value={p.id}>
                {p.display_name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('appointments.type')} error={formMessage(t, errors.type_id?.message)} required>
          <select {...form.register('type_id', { onChange: () => form.setValue('slot', '') })} className="input">
            {types.length === 0 && (
              <option value="">
                {t(portal ? 'appointments.portal.noOnlineTypes' : 'appointments.booking.noTypes')}
              </option>
            )}
            {types.map((x) => (
              <option key={x.id} value={x.id}>
                {t('appointments.typeWithDuration', { label: x.label, count: x.duration_minutes })}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('appointments.booking.date')} error={formMessage(t, errors.date?.message)} required>
          <input
            {...form.register('date', { onChange: () => form.setValue('slot', '') })}
            type="date"
            className="input"
          />
        </Field>
        <SlotSelect
          practitionerId={practitionerId}
          typeId={typeId}
          date={date}
          timeZone={timeZone}
          registration={form.register('slot')}
          error={formMessage(t, errors.slot?.message)}
          allowOtherTime={!portal}
          keep={
            defaults.start &&
            practitionerId === defaults.practitionerId &&
            typeId === defaults.typeId &&
            date === defaults.date
              ? defaults.start
              : undefined
          }
        />
        {slot === OTHER_TIME && (
          <OtherTimeField
            timeZone={timeZone}
            registration={form.register('time')}
            error={formMessage(t, errors.time?.message)}
          />
        )}
      </div>
      <div className="form__actions">
        <button type="submit" className="button" disabled={book.isPending}>
          {book.isPending ? t('common.saving') : t('appointments.booking.submit')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
