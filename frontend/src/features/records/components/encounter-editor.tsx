// SPDX-License-Identifier: Apache-2.0
// A doctor's draft encounter: when, why, SOAP notes, ICD-10 diagnoses found as one types, and
// prescriptions. Saving creates the draft, then changes it with the ETag it was read with (a 412
// means someone changed it elsewhere: reload, never overwrite). Signing saves pending changes
// first; once signed the encounter is read-only. Vitals are recorded against the saved draft.
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useFieldArray, useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { ConflictAlert } from '@/components/conflict-alert';
import { Alert } from '@/components/ui/alert';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import { isApiError } from '@/lib/api-error';
import { applyFieldErrors, errorMessage, fieldErrorMessage } from '@/lib/error-message';
import { validationMessage } from '@/lib/validation';
import {
  useCreateEncounter,
  useDiscardEncounter,
  useSignEncounter,
  useUpdateEncounter,
  type EncounterWithEtag,
} from '../api/records';
import { routes } from '../types';
import { DiagnosesEditor } from './diagnoses-editor';
import {
  emptyPrescription,
  encounterFieldPaths,
  encounterFormSchema,
  encounterValues,
  MAX_DIAGNOSES,
  MAX_PRESCRIPTIONS,
  newEncounterValues,
  toEncounterInput,
  toEncounterPatch,
  type EncounterFormValues,
} from './encounter-form-model';
import { VitalsForm } from './vitals-form';

const soap = ['subjective', 'objective', 'assessment', 'plan'] as const;

export function EncounterEditor({
  patientId,
  draft,
  onCreated,
  onDiscarded,
  onReload,
}: {
  patientId: string;
  /** The saved draft with its ETag; undefined for a new encounter. */
  draft?: EncounterWithEtag | undefined;
  onCreated: (id: string) => void;
  onDiscarded: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const id = draft?.encounter.id ?? '';
  const create = useCreateEncounter();
  const update = useUpdateEncounter(id);
  const sign = useSignEncounter(id);
  const discard = useDiscardEncounter(id, patientId);
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [confirm, setConfirm] = useState<'sign' | 'discard' | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const form = useForm<EncounterFormValues>({
    resolver: zodResolver(encounterFormSchema),
    defaultValues: draft ? encounterValues(draft.encounter) : newEncounterValues(),
  });
  const { errors, isSubmitting, isDirty } = form.formState;
  const lines = useFieldArray({ control: form.control, name: 'prescriptions' });
  const [diagnoses, primary] = useWatch({ control: form.control, name: ['diagnoses', 'primary'] });

  const fail = (e: unknown, values: EncounterFormValues) => {
    if (!isApiError(e)) throw e;
    if (e.status === 412) {
      setConflict(true);
      return;
    }
    const rest = applyFieldErrors(t, e, form.setError, encounterFieldPaths(values));
    setFormError(
      e.fieldErrors.length === 0
        ? errorMessage(t, e)
        : rest.length
          ? rest.map((fe) => `${fe.field}: ${fieldErrorMessage(t, fe)}`).join(' · ')
          : t('errors.formErrors'),
    );
  };

  /** Saves the form; returns the ETag to sign with, or null when it failed. */
  const save = async (values: EncounterFormValues): Promise<string | null> => {
    setFormError(null);
    try {
      if (!draft) {
        const created = await create.mutateAsync(toEncounterInput(patientId, values));
        toast.success(t('records.encounters.draftSaved'));
        onCreated(created.encounter.id);
        return null;
      }
      if (!isDirty) return draft.etag;
      const saved = await update.mutateAsync({ patch: toEncounterPatch(values), etag: draft.etag });
      form.reset(encounterValues(saved.encounter));
      toast.success(t('records.encounters.draftSaved'));
      return saved.etag;
    } catch (e) {
      fail(e, values);
      return null;
    }
  };

  const onSave = form.handleSubmit(
    async (values) => {
      await save(values);
    },
    () => setFormError(t('errors.formErrors')),
  );

  const onSign = form.handleSubmit(
    async (values) => {
      setDialogError(null);
      const etag = await save(values);
      if (!etag) {
        setConfirm(null);
        return;
      }
      try {
        await sign.mutateAsync(etag);
        setConfirm(null);
        toast.success(t('records.encounters.signed'));
      } catch (e) {
        if (isApiError(e) && e.status === 412) {
          setConfirm(null);
          setConflict(true);
        } else setDialogError(errorMessage(t, e));
      }
    },
    () => {
      setConfirm(null);
      setFormError(t('errors.formErrors'));
    },
  );

  const onDiscard = async () => {
    if (!draft) return;
    setDialogError(null);
    try {
      await discard.mutateAsync(draft.etag);
      toast.success(t('records.encounters.discarded'));
      onDiscarded();
    } catch (e) {
      setDialogError(errorMessage(t, e));
    }
  };

  const diagnosisErrors: Record<number, string | undefined> = {};
  diagnoses.forEach((_, i) => {
    const d = errors.diagnoses?.[i];
    if (d) diagnosisErrors[i] = validationMessage(t, d.code?.message ?? d.label?.message);
  });

  return (
    <div className="stack">
      {conflict && <ConflictAlert onReload={onReload} />}
      <form className="form" noValidate onSubmit={onSave} aria-label={t('records.encounters.formTitle')}>
        {formError && <Alert tone="error">{formError}</Alert>}
        <div className="grid">
          <Field
            label={t('records.encounters.occurredAt')}
            error={validationMessage(t, errors.occurred_at?.message)}
            required
          >
            <input {...form.register('occurred_at')} type="datetime-local" className="input" />
          </Field>
          <Field label={t('records.encounters.reason')} error={validationMessage(t, errors.reason?.message)} required>
            <input {...form.register('reason')} className="input" autoComplete="off" />
          </Field>
        </div>
        <fieldset className="fieldset">
          <legend>{t('records.encounters.notes')}</legend>
          {soap.map((k) => (
            <Field
              key={k}
              label={t(`records.encounters.soap.${k}`)}
              error={validationMessage(t, errors.notes?.[k]?.message)}
              optional
            >
              <textarea {...form.register(`notes.${k}`)} className="input" rows={3} />
            </Field>
          ))}
        </fieldset>
        <DiagnosesEditor
          legend={t('records.encounters.diagnoses')}
          diagnoses={diagnoses}
          primary={primary}
          max={MAX_DIAGNOSES}
          errors={diagnosisErrors}
          onChange={(next, main) => {
            form.setValue('diagnoses', next, { shouldDirty: true });
            form.setValue('primary', main, { shouldDirty: true });
          }}
        />
        <fieldset className="fieldset">
          <legend>{t('records.prescriptions.title')}</legend>
          {lines.fields.length === 0 && <p className="empty-state">{t('records.prescriptions.noneInEncounter')}</p>}
          {lines.fields.map((line, i) => {
            const e = errors.prescriptions?.[i];
            return (
              <fieldset key={line.id} className="fieldset fieldset--nested">
                <legend>{t('records.prescriptions.line', { n: i + 1 })}</legend>
                <div className="grid">
                  <Field
                    label={t('records.prescriptions.drug')}
                    error={validationMessage(t, e?.drug?.message)}
                    required
                  >
                    <input {...form.register(`prescriptions.${i}.drug`)} className="input" autoComplete="off" />
                  </Field>
                  <Field
                    label={t('records.prescriptions.dose')}
                    error={validationMessage(t, e?.dose?.message)}
                    required
                  >
                    <input {...form.register(`prescriptions.${i}.dose`)} className="input" autoComplete="off" />
                  </Field>
                  <Field
                    label={t('records.prescriptions.routeLabel')}
                    error={validationMessage(t, e?.route?.message)}
                    required
                  >
                    <select {...form.register(`prescriptions.${i}.route`)} className="input">
                      {routes.map((r) => (
                        <option key={r} value={r}>
                          {t(`records.prescriptions.route.${r}`)}
                        </option>
                      ))}
                    </select>
                  </Field>
                  <Field
                    label={t('records.prescriptions.frequency')}
                    error={validationMessage(t, e?.frequency?.message)}
                    required
                  >
                    <input {...form.register(`prescriptions.${i}.frequency`)} className="input" autoComplete="off" />
                  </Field>
                  <Field
                    label={t('records.prescriptions.duration')}
                    error={validationMessage(t, e?.duration?.message)}
                    required
                  >
                    <input {...form.register(`prescriptions.${i}.duration`)} className="input" autoComplete="off" />
                  </Field>
                  <Field
                    label={t('records.prescriptions.instructions')}
                    error={validationMessage(t, e?.instructions?.message)}
                    optional
                  >
                    <input {...form.register(`prescriptions.${i}.instructions`)} className="input" autoComplete="off" />
                  </Field>
                </div>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => lines.remove(i)}
                >
                  {t('records.prescriptions.removeLine', { n: i + 1 })}
                </button>
              </fieldset>
            );
          })}
          {lines.fields.length < MAX_PRESCRIPTIONS && (
            <button type="button" className="button button--secondary" onClick={() => lines.append(emptyPrescription)}>
              {t('records.prescriptions.addLine')}
            </button>
          )}
        </fieldset>
        <div className="form__actions">
          <button type="submit" className="button button--secondary" disabled={isSubmitting}>
            {isSubmitting && !confirm ? t('common.saving') : t('records.encounters.saveDraft')}
          </button>
          {draft && (
            <>
              <button type="button" className="button" onClick={() => setConfirm('sign')}>
                {t('records.encounters.sign')}
              </button>
              <button type="button" className="button button--danger" onClick={() => setConfirm('discard')}>
                {t('records.encounters.discard')}
              </button>
            </>
          )}
        </div>
        {!draft && <p className="muted">{t('records.encounters.saveFirst')}</p>}
      </form>
      {draft && (
        <section className="card" aria-labelledby="encounter-vitals-title">
          <h2 id="encounter-vitals-title">{t('records.vitals.formTitle')}</h2>
          <VitalsForm patientId={patientId} encounterId={id} />
        </section>
      )}
      <ConfirmDialog
        open={confirm === 'sign'}
        title={t('records.encounters.signTitle')}
        confirmLabel={t('records.encounters.sign')}
        busy={sign.isPending || update.isPending}
        error={dialogError}
        onConfirm={() => void onSign()}
        onClose={() => {
          setConfirm(null);
          setDialogError(null);
        }}
      >
        <p>{t('records.encounters.signBody')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'discard'}
        title={t('records.encounters.discardTitle')}
        confirmLabel={t('records.encounters.discard')}
        danger
        busy={discard.isPending}
        error={dialogError}
        onConfirm={() => void onDiscard()}
        onClose={() => {
          setConfirm(null);
          setDialogError(null);
        }}
      >
        <p>{t('records.encounters.discardBody')}</p>
      </ConfirmDialog>
    </div>
  );
}
