// SPDX-License-Identifier: Apache-2.0
// The demographics form (register, edit, and the patient's own contact details with
// scope="contact"). Validates with the schema first; the server's field errors land on the same
// fields; anything else is shown above the form.
import { zodResolver } from '@hookform/resolvers/zod';
import { useState, type ReactNode } from 'react';
import { useForm, type FieldErrors, type UseFormRegister } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { isApiError } from '@/lib/api-error';
import { applyFieldErrors, errorMessage, fieldErrorMessage } from '@/lib/error-message';
import { validationMessage } from '@/lib/validation';
import { todayIso } from '@/utils/format';
import { identityStatuses, sexes } from '../types';
import { patientFieldPaths, patientFormSchema, preferredLanguages, type PatientFormValues } from './patient-form-model';
import { useLocale } from '@/lib/i18n';

export type DirtyFields = Partial<Record<keyof PatientFormValues, unknown>>;

export function PatientForm({
  defaultValues,
  scope = 'full',
  submitLabel,
  onSubmit,
  disabled = false,
  footer,
}: {
  defaultValues: PatientFormValues;
  scope?: 'full' | 'contact';
  submitLabel: string;
  /** Throwing an ApiError puts its field errors on the fields; the caller handles 409/412 itself. */
  onSubmit: (values: PatientFormValues, dirty: DirtyFields) => Promise<void>;
  disabled?: boolean;
  footer?: ReactNode;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const languageNames = new Intl.DisplayNames([locale], { type: 'language' });
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<PatientFormValues>({
    resolver: zodResolver(patientFormSchema),
    defaultValues,
    mode: 'onBlur',
  });
  const { errors, isSubmitting, dirtyFields } = form.formState;

  const submit = form.handleSubmit(
    async (values) => {
      setFormError(null);
      try {
        await onSubmit(values, dirtyFields);
      } catch (e) {
        if (!isApiError(e)) throw e;
        const rest = applyFieldErrors(t, e, form.setError, patientFieldPaths);
        setFormError(
          e.fieldErrors.length === 0
            ? errorMessage(t, e)
            : rest.length
              ? rest.map((fe) => `${fe.field}: ${fieldErrorMessage(t, fe)}`).join(' · ')
              : null,
        );
      }
    },
    () => setFormError(t('errors.formErrors')),
  );

  const f = { register: form.register, errors, t };
  return (
    <form className="form patient-form" noValidate onSubmit={submit}>
      {formError && <Alert tone="error">{formError}</Alert>}
      {scope === 'full' && (
        <>
          <fieldset className="fieldset">
            <legend>{t('patients.sections.identity')}</legend>
            <div className="grid">
              <TextInput {...f} name="last_name" label={t('patients.fields.last_name')} required autoComplete="off" />
              <TextInput {...f} name="first_name" label={t('patients.fields.first_name')} required autoComplete="off" />
              <TextInput {...f} name="birth_name" label={t('patients.fields.birth_name')} optional autoComplete="off" />
              <Field label={t('patients.fields.sex')} error={validationMessage(t, errors.sex?.message)} required>
                <select {...form.register('sex')} className="input">
                  <option value="" disabled>
                    —
                  </option>
                  {sexes.map((s) => (
                    <option key={s} value={s}>
                      {t(`patients.sex.${s}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field
                label={t('patients.fields.birth_date')}
                error={validationMessage(t, errors.birth_date?.message)}
                required
              >
                <input {...form.register('birth_date')} type="date" max={todayIso()} className="input" />
              </Field>
              <TextInput {...f} name="birth_place_code" label={t('patients.fields.birth_place_code')} optional />
              <TextInput {...f} name="nir" label={t('patients.fields.nir')} optional inputMode="text" />
              <Field label={t('patients.fields.identity_status')}>
                <select {...form.register('identity_status')} className="input">
                  {identityStatuses.map((s) => (
                    <option key={s} value={s}>
                      {t(`patients.identityStatus.${s}`)}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
          </fieldset>
        </>
      )}
      <fieldset className="fieldset">
        <legend>{t('patients.sections.contact')}</legend>
        <div className="grid">
          <TextInput {...f} name="email" label={t('patients.fields.email')} type="email" optional autoComplete="off" />
          <TextInput {...f} name="phone" label={t('patients.fields.phone')} type="tel" optional autoComplete="off" />
          <Field label={t('patients.fields.preferred_language')}>
            <select {...form.register('preferred_language')} className="input">
              {preferredLanguages.map((l) => (
                <option key={l} value={l}>
                  {languageNames.of(l) ?? l}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </fieldset>
      <fieldset className="fieldset">
        <legend>{t('patients.sections.address')}</legend>
        <div className="grid">
          <TextInput {...f} name="address.line1" label={t('patients.fields.line1')} optional wide />
          <TextInput {...f} name="address.line2" label={t('patients.fields.line2')} optional wide />
          <TextInput {...f} name="address.postal_code" label={t('patients.fields.postal_code')} optional />
          <TextInput {...f} name="address.city" label={t('patients.fields.city')} optional />
          <TextInput {...f} name="address.country" label={t('patients.fields.country')} optional maxLength={2} />
        </div>
      </fieldset>
      <fieldset className="fieldset">
        <legend>{t('patients.sections.emergency')}</legend>
        <div className="grid">
          <TextInput {...f} name="emergency_contact.name" label={t('patients.fields.emergency_name')} optional />
          <TextInput {...f} name="emergency_contact.relationship" label={t('patients.fields.relationship')} optional />
          <TextInput
            {...f}
            name="emergency_contact.phone"
            label={t('patients.fields.emergency_phone')}
            type="tel"
            optional
          />
        </div>
      </fieldset>
      {scope === 'full' && (
        <fieldset className="fieldset">
          <legend>{t('patients.sections.insurance')}</legend>
          <div className="grid">
            <TextInput {...f} name="insurance.amo_number" label={t('patients.fields.amo_number')} optional />
            <TextInput {...f} name="insurance.amo_fund" label={t('patients.fields.amo_fund')} optional />
            <TextInput {...f} name="insurance.amc_name" label={t('patients.fields.amc_name')} optional />
            <TextInput {...f} name="insurance.amc_number" label={t('patients.fields.amc_number')} optional />
          </div>
        </fieldset>
      )}
      <div className="form__actions">
        <button type="submit" className="button" disabled={disabled || isSubmitting}>
          {isSubmitting ? t('common.saving') : submitLabel}
        </button>
        {footer}
      </div>
    </form>
  );
}

type Path =
  | 'first_name'
  | 'last_name'
  | 'birth_name'
  | 'birth_place_code'
  | 'nir'
  | 'email'
  | 'phone'
  | `address.${keyof PatientFormValues['address']}`
  | `emergency_contact.${keyof PatientFormValues['emergency_contact']}`
  | `insurance.${keyof PatientFormValues['insurance']}`;

function errorAt(errors: FieldErrors<PatientFormValues>, path: Path): string | undefined {
  const [head, tail] = path.split('.') as [string, string | undefined];
  const node = (errors as Record<string, unknown>)[head] as
    Record<string, { message?: string }> | { message?: string } | undefined;
  if (!node) return undefined;
  if (tail) return (node as Record<string, { message?: string }>)[tail]?.message;
  return (node as { message?: string }).message;
}

function TextInput({
  register,
  errors,
  t,
  name,
  label,
  required,
  optional,
  type = 'text',
  wide,
  ...rest
}: {
  register: UseFormRegister<PatientFormValues>;
  errors: FieldErrors<PatientFormValues>;
  t: ReturnType<typeof useTranslation>['t'];
  name: Path;
  label: string;
  required?: boolean;
  optional?: boolean;
  type?: string;
  wide?: boolean;
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'tel' | 'email';
  maxLength?: number;
}) {
  return (
    <Field
      label={label}
      error={validationMessage(t, errorAt(errors, name))}
      required={required}
      optional={optional}
      className={wide ? 'field--wide' : undefined}
    >
      <input {...register(name)} type={type} className="input" {...rest} />
    </Field>
  );
}
