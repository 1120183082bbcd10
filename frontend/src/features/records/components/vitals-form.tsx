// SPDX-License-Identifier: Apache-2.0
// Records vital signs (nurses and doctors): the measures taken at one moment, each checked
// against its plausible range as the server does, and/or a nursing observation. BMI is derived,
// never typed: shown as the weight and height are entered (or with the latest known height).
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { z } from 'zod';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { isApiError } from '@/lib/api-error';
import { applyFieldErrors, errorMessage, fieldErrorMessage } from '@/lib/error-message';
import { useLocale } from '@/lib/i18n';
import { msg, optionalText, validationMessage } from '@/lib/validation';
import { localDateTimeToIso } from '@/utils/format';
import { useRecordVitals } from '../api/records';
import { bmiOf, measureRanges, measures, type Measure, type VitalsInput } from '../types';
import { isoToLocalDateTime } from './encounter-form-model';
import { formatMeasure, measureLabel, measureUnit } from './labels';

/** "37,5" or "37.5" → 37.5; '' → null; anything else → NaN. */
export function parseDecimal(text: string): number | null {
  const s = text.trim().replace(/\s/g, '').replace(',', '.');
  if (s === '') return null;
  return /^\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
}

const measureField = (m: Measure) =>
  z.string().superRefine((v, ctx) => {
    const n = parseDecimal(v);
    if (n === null) return;
    const { min, max } = measureRanges[m];
    if (Number.isNaN(n)) ctx.addIssue({ code: 'custom', message: msg('records.vitals.notANumber') });
    else if (n < min || n > max) ctx.addIssue({ code: 'custom', message: msg('records.vitals.range', { min, max }) });
    else if (!Number.isInteger(n) && measureRanges[m].step === 1)
      ctx.addIssue({ code: 'custom', message: msg('records.vitals.wholeNumber') });
  });

const schema = z
  .object({
    taken_at: z
      .string()
      .min(1, msg('validation.required'))
      .refine((v) => localDateTimeToIso(v) !== undefined, msg('validation.date')),
    systolic_mmhg: measureField('systolic_mmhg'),
    diastolic_mmhg: measureField('diastolic_mmhg'),
    heart_rate_bpm: measureField('heart_rate_bpm'),
    temperature_c: measureField('temperature_c'),
    weight_kg: measureField('weight_kg'),
    height_cm: measureField('height_cm'),
    spo2_pct: measureField('spo2_pct'),
    note: optionalText(2000),
  })
  .superRefine((v, ctx) => {
    const sys = parseDecimal(v.systolic_mmhg);
    const dia = parseDecimal(v.diastolic_mmhg);
    if ((sys === null) !== (dia === null)) {
      ctx.addIssue({
        code: 'custom',
        path: [sys === null ? 'systolic_mmhg' : 'diastolic_mmhg'],
        message: msg('records.vitals.pressurePair'),
      });
    } else if (sys !== null && dia !== null && dia >= sys) {
      ctx.addIssue({ code: 'custom', path: ['diastolic_mmhg'], message: msg('records.vitals.diastolicBelow') });
    }
    if (measures.every((m) => v[m].trim() === '') && v.note.trim() === '') {
      ctx.addIssue({ code: 'custom', path: ['note'], message: msg('records.vitals.nothing') });
    }
  });

type Values = z.infer<typeof schema>;
const fieldNames = [...measures, 'taken_at', 'note'] as const;

function emptyValues(): Values {
  return {
    taken_at: isoToLocalDateTime(new Date().toISOString()),
    systolic_mmhg: '',
    diastolic_mmhg: '',
    heart_rate_bpm: '',
    temperature_c: '',
    weight_kg: '',
    height_cm: '',
    spo2_pct: '',
    note: '',
  };
}

export function toVitalsInput(v: Values, encounterId?: string): VitalsInput {
  const input: VitalsInput = {};
  const at = localDateTimeToIso(v.taken_at);
  if (at) input.taken_at = at;
  if (encounterId) input.encounter_id = encounterId;
  for (const m of measures) {
    const n = parseDecimal(v[m]);
    if (n !== null && !Number.isNaN(n)) input[m] = n;
  }
  if (v.note.trim()) input.note = v.note.trim();
  return input;
}

export function VitalsForm({
  patientId,
  encounterId,
  latestHeightCm,
  onRecorded,
}: {
  patientId: string;
  encounterId?: string | undefined;
  /** The latest height on record, for the BMI preview when no height is entered. */
  latestHeightCm?: number | null | undefined;
  onRecorded?: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const record = useRecordVitals(patientId);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: emptyValues(), mode: 'onBlur' });
  const { errors, isSubmitting } = form.formState;
  const [weight, height] = useWatch({ control: form.control, name: ['weight_kg', 'height_cm'] });
  const w = parseDecimal(weight);
  const h = parseDecimal(height) ?? latestHeightCm ?? null;
  const bmi = w !== null && !Number.isNaN(w) && h !== null && !Number.isNaN(h) ? bmiOf(w, h) : null;

  const submit = form.handleSubmit(
    async (values) => {
      setFormError(null);
      try {
        await record.mutateAsync(toVitalsInput(values, encounterId));
        toast.success(t('records.vitals.recorded'));
        form.reset(emptyValues());
        onRecorded?.();
      } catch (e) {
        if (!isApiError(e)) throw e;
        const rest = applyFieldErrors(t, e, form.setError, fieldNames);
        setFormError(
          e.fieldErrors.length === 0
            ? errorMessage(t, e)
            : rest.length
              ? rest.map((fe) => fieldErrorMessage(t, fe)).join(' · ')
              : null,
        );
      }
    },
    () => setFormError(t('errors.formErrors')),
  );

  const measureInput = (m: Measure) => (
    <Field
      key={m}
      label={`${measureLabel(t, m)} (${measureUnit(t, m)})`}
      error={validationMessage(t, errors[m]?.message)}
      optional
    >
      <input {...form.register(m)} className="input input--number" inputMode="decimal" autoComplete="off" />
    </Field>
  );

  return (
    <form className="form" noValidate onSubmit={submit} aria-label={t('records.vitals.formTitle')}>
      {formError && <Alert tone="error">{formError}</Alert>}
      <div className="grid">
        <Field label={t('records.vitals.takenAt')} error={validationMessage(t, errors.taken_at?.message)} required>
          <input {...form.register('taken_at')} type="datetime-local" className="input" />
        </Field>
      </div>
      <div className="grid grid--measures">{measures.map(measureInput)}</div>
      <p className="muted" aria-live="polite">
        {t('records.vitals.bmiPreview')}{' '}
        <output>{bmi === null ? t('common.none') : formatMeasure(t, 'bmi', bmi, locale)}</output>
      </p>
      <Field label={t('records.vitals.note')} error={validationMessage(t, errors.note?.message)} optional>
        <textarea {...form.register('note')} className="input" rows={2} />
      </Field>
      <div className="form__actions">
        <button type="submit" className="button" disabled={isSubmitting}>
          {isSubmitting ? t('common.saving') : t('records.vitals.record')}
        </button>
      </div>
    </form>
  );
}
