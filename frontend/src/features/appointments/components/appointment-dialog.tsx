// SPDX-License-Identifier: Apache-2.0
// One appointment, for staff: who, when, what, its status and history, and what can happen next
// (check in, complete, no-show, move, cancel with a reason). Each change is based on the version
// shown; if someone changed it meanwhile the server refuses (412) and the screen reloads it.
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { z } from 'zod';
import { Alert } from '@/components/ui/alert';
import { Dialog } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { isApiError } from '@/lib/api-error';
import { useLocale } from '@/lib/i18n';
import { requiredText } from '@/lib/validation';
import { formatDateTime } from '@/utils/format';
import { formatZonedDateTime, toWallClock } from '@/utils/time-zone';
import {
  transitionResult,
  useAppointmentTransition,
  useCancelAppointment,
  useRescheduleAppointment,
} from '../api/appointments';
import {
  nextTransitions,
  patientName,
  type AppointmentWarning,
  type ListedAppointment,
  type Transition,
} from '../types';
import { chosenStart } from './booking-form';
import { BookingWarnings } from './booking-warnings';
import { formMessage } from './form-message';
import { appointmentErrorMessage, applyAppointmentErrors } from './messages';
import {
  OTHER_TIME,
  OtherTimeField,
  otherTimeGiven,
  otherTimeIssue,
  SlotSelect,
  slotChoiceFields,
} from './slot-select';
import { StatusBadge, TypeSwatch } from './status-badge';

type Mode = 'view' | 'reschedule' | 'cancel';

export function AppointmentDialog({
  appointment,
  timeZone,
  chartHref,
  onClose,
}: {
  appointment: ListedAppointment | null;
  timeZone: string;
  /** Where the patient's chart is, for roles that may open it. */
  chartHref?: ((patientId: string) => string) | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog open={appointment !== null} title={t('appointments.details.title')} onClose={onClose}>
      {appointment && (
        <AppointmentPanel
          key={appointment.id}
          appointment={appointment}
          timeZone={timeZone}
          chartHref={chartHref}
          onClose={onClose}
        />
      )}
    </Dialog>
  );
}

function AppointmentPanel({
  appointment: a,
  timeZone,
  chartHref,
  onClose,
}: {
  appointment: ListedAppointment;
  timeZone: string;
  chartHref?: ((patientId: string) => string) | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [mode, setMode] = useState<Mode>('view');
  const [warnings, setWarnings] = useState<readonly AppointmentWarning[]>([]);
  const [error, setError] = useState<string | null>(null);
  const transition = useAppointmentTransition();
  const name = patientName(a);
  const transitions = nextTransitions(a);

  const run = async (next: Transition) => {
    setError(null);
    try {
      await transition.mutateAsync({ appointment: a, transition: next });
      toast.success(t(`appointments.done.${transitionResult[next]}`));
    } catch (e) {
      setError(appointmentErrorMessage(t, e));
    }
  };

  if (mode === 'reschedule') {
    return (
      <RescheduleForm
        appointment={a}
        timeZone={timeZone}
        onDone={(w) => {
          setWarnings(w);
          setMode('view');
        }}
        onCancel={() => setMode('view')}
      />
    );
  }
  if (mode === 'cancel') {
    return <CancelForm appointment={a} onDone={onClose} onCancel={() => setMode('view')} />;
  }

  return (
    <div className="stack">
      {error && <Alert tone="error">{error}</Alert>}
      <BookingWarnings warnings={warnings} />
      <dl className="details">
        <div className="details__row">
          <dt>{t('appointments.patient')}</dt>
          <dd>
            {name ? (
              <>
                <strong>{name}</strong> {a.patient && <span className="muted">({a.patient.mrn})</span>}
                {chartHref && (
                  <>
                    {' '}
                    <Link to={chartHref(a.patient_id)}>{t('appointments.details.openChart')}</Link>
                  </>
                )}
              </>
            ) : (
              t('common.none')
            )}
          </dd>
        </div>
        <div className="details__row">
          <dt>{t('appointments.details.when')}</dt>
          <dd>
            <time dateTime={a.start}>{formatZonedDateTime(a.start, locale, timeZone)}</time>
            <span className="muted"> · {t('appointments.minutes', { count: a.duration_minutes })}</span>
          </dd>
        </div>
        <div className="details__row">
          <dt>{t('appointments.type')}</dt>
          <dd>
            <TypeSwatch color={a.type.color} /> {a.type.label}
          </dd>
        </div>
        <div className="details__row">
          <dt>{t('appointments.practitioner')}</dt>
          <dd>{a.practitioner.display_name}</dd>
        </div>
        <div className="details__row">
          <dt>{t('appointments.details.status')}</dt>
          <dd>
            <StatusBadge status={a.status} />
            {a.checked_in_at && (
              <span className="muted small">
                {' '}
                {t('appointments.details.checkedInAt', { time: formatDateTime(a.checked_in_at, locale) })}
              </span>
            )}
          </dd>
        </div>
        <div className="details__row">
          <dt>{t('appointments.details.bookedVia')}</dt>
          <dd>{t(`appointments.channel.${a.booked_via}`)}</dd>
        </div>
        {a.cancellation && (
          <div className="details__row">
            <dt>{t('appointments.details.cancellation')}</dt>
            <dd>
              {a.cancellation.reason || t('common.none')}
              <span className="muted small">
                {' '}
                (
                {t('appointments.details.cancelledBy', {
                  role: t(`roles.${a.cancellation.by_role}` as 'roles.admin', { defaultValue: a.cancellation.by_role }),
                  date: formatDateTime(a.cancellation.at, locale),
                })}
                )
              </span>
            </dd>
          </div>
        )}
      </dl>
      <div className="button-row">
        {transitions.map((x) => (
          <button
            key={x}
            type="button"
            className={x === 'no-show' ? 'button button--secondary' : 'button'}
            disabled={transition.isPending}
            onClick={() => void run(x)}
          >
            {t(`appointments.actions.${x}`)}
          </button>
        ))}
        {a.status === 'booked' && (
          <>
            <button type="button" className="button button--secondary" onClick={() => setMode('reschedule')}>
              {t('appointments.actions.reschedule')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setMode('cancel')}>
              {t('appointments.actions.cancel')}
            </button>
          </>
        )}
        <button type="button" className="button button--link" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </div>
  );
}

const rescheduleSchema = z
  .object({
    ...slotChoiceFields,
  })
  .refine(otherTimeGiven, otherTimeIssue);
type RescheduleInput = z.infer<typeof rescheduleSchema>;

function RescheduleForm({
  appointment: a,
  timeZone,
  onDone,
  onCancel,
}: {
  appointment: ListedAppointment;
  timeZone: string;
  onDone: (warnings: readonly AppointmentWarning[]) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const move = useRescheduleAppointment();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<RescheduleInput>({
    resolver: zodResolver(rescheduleSchema),
    defaultValues: { date: toWallClock(a.start, timeZone).date, slot: '', time: '' },
  });
  const { errors } = form.formState;
  const [date, slot] = useWatch({ control: form.control, name: ['date', 'slot'] });

  const onSubmit = async (v: RescheduleInput) => {
    setFormError(null);
    try {
      const moved = await move.mutateAsync({ appointment: a, start: chosenStart(v, timeZone) });
      toast.success(t('appointments.done.rescheduled'));
      onDone(moved.warnings);
    } catch (e) {
      if (!isApiError(e)) throw e;
      setFormError(applyAppointmentErrors(t, e, form.setError, { start: v.slot === OTHER_TIME ? 'time' : 'slot' }));
      if (e.code === 'appointment.slot_taken') form.setValue('slot', '');
    }
  };

  return (
    <form className="form" noValidate onSubmit={form.handleSubmit(onSubmit)}>
      <h3 className="form__title">{t('appointments.reschedule.title')}</h3>
      <p className="muted">
        {t('appointments.reschedule.from', { when: formatZonedDateTime(a.start, locale, timeZone) })}
      </p>
      {formError && <Alert tone="error">{formError}</Alert>}
      <Field label={t('appointments.booking.date')} error={formMessage(t, errors.date?.message)} required>
        <input
          {...form.register('date', { onChange: () => form.setValue('slot', '') })}
          type="date"
          className="input"
        />
      </Field>
      <SlotSelect
        practitionerId={a.practitioner_id}
        typeId={a.type.id}
        date={date}
        timeZone={timeZone}
        registration={form.register('slot')}
        error={formMessage(t, errors.slot?.message)}
        allowOtherTime
      />
      {slot === OTHER_TIME && (
        <OtherTimeField
          timeZone={timeZone}
          registration={form.register('time')}
          error={formMessage(t, errors.time?.message)}
        />
      )}
      <div className="form__actions">
        <button type="submit" className="button" disabled={move.isPending}>
          {move.isPending ? t('common.saving') : t('appointments.reschedule.submit')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('common.back')}
        </button>
      </div>
    </form>
  );
}

const cancelSchema = z.object({ reason: requiredText(200) });
type CancelInput = z.infer<typeof cancelSchema>;

function CancelForm({
  appointment: a,
  onDone,
  onCancel,
}: {
  appointment: ListedAppointment;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const cancel = useCancelAppointment();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<CancelInput>({ resolver: zodResolver(cancelSchema), defaultValues: { reason: '' } });
  const { errors } = form.formState;

  const onSubmit = async (v: CancelInput) => {
    setFormError(null);
    try {
      await cancel.mutateAsync({ appointment: a, reason: v.reason });
      toast.success(t('appointments.done.cancelled'));
      onDone();
    } catch (e) {
      if (!isApiError(e)) throw e;
      setFormError(applyAppointmentErrors(t, e, form.setError, { reason: 'reason' }));
    }
  };

  return (
    <form className="form" noValidate onSubmit={form.handleSubmit(onSubmit)}>
      <h3 className="form__title">{t('appointments.cancel.title')}</h3>
      {formError && <Alert tone="error">{formError}</Alert>}
      <Field
        label={t('appointments.cancel.reason')}
        hint={t('appointments.cancel.reasonHint')}
        error={formMessage(t, errors.reason?.message)}
        required
      >
        <textarea {...form.register('reason')} className="input" rows={3} maxLength={200} />
      </Field>
      <div className="form__actions">
        <button type="submit" className="button button--danger" disabled={cancel.isPending}>
          {cancel.isPending ? t('common.saving') : t('appointments.cancel.submit')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('common.back')}
        </button>
      </div>
    </form>
  );
}
