// SPDX-License-Identifier: Apache-2.0
// The allergy list and the problem list of the chart: every entry with its status, a way to mark
// it resolved or active again (with the version it was read at), and a short form to add one.
// Nurses and doctors record allergies; the problem list (ICD-10 coded) is kept by doctors.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { AsyncContent } from '@/components/async-content';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { isApiError } from '@/lib/api-error';
import { errorMessage, fieldErrorMessage, toastError } from '@/lib/error-message';
import { useLocale } from '@/lib/i18n';
import { formatDate } from '@/utils/format';
import {
  allergiesQuery,
  conditionsQuery,
  useAddAllergy,
  useAddCondition,
  useUpdateAllergy,
  useUpdateCondition,
} from '../api/records';
import { severities, type Icd10Code, type Severity } from '../types';
import { Icd10Lookup } from './icd10-lookup';

type EntryStatus = 'active' | 'resolved';

/** Marks an entry resolved, or active again; the caller sends the version it was read at. */
function StatusToggle({
  status,
  name,
  pending,
  onToggle,
}: {
  status: EntryStatus;
  name: string;
  pending: boolean;
  onToggle: (next: EntryStatus) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className="button button--secondary button--small"
      disabled={pending}
      onClick={() => void onToggle(status === 'active' ? 'resolved' : 'active').catch((e: unknown) => toastError(t, e))}
    >
      {status === 'active' ? t('records.status.markResolved', { name }) : t('records.status.markActive', { name })}
    </button>
  );
}

export function AllergiesPanel({ patientId, canEdit }: { patientId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const query = useQuery(allergiesQuery(patientId));
  const update = useUpdateAllergy(patientId);
  const items = query.data ?? [];
  return (
    <section className="card" aria-labelledby="allergies-title">
      <h2 id="allergies-title">{t('records.allergies.title')}</h2>
      <AsyncContent query={query} isEmpty={items.length === 0} empty={t('records.allergies.noneRecorded')}>
        <ul className="plain-list" aria-label={t('records.allergies.title')}>
          {items.map((a) => (
            <li key={a.id} className="entry-row">
              <span>
                <strong>{a.substance}</strong>{' '}
                <span className={`badge badge--severity-${a.severity}`}>
                  {t(`records.allergies.severity.${a.severity}`)}
                </span>
                {a.reaction && <span className="muted"> · {a.reaction}</span>}
                {a.status === 'resolved' && <span className="badge badge--muted">{t('records.status.resolved')}</span>}
              </span>
              {canEdit && (
                <StatusToggle
                  status={a.status}
                  name={a.substance}
                  pending={update.isPending}
                  onToggle={(status) => update.mutateAsync({ id: a.id, version: a.version, patch: { status } })}
                />
              )}
            </li>
          ))}
        </ul>
      </AsyncContent>
      {canEdit && <AddAllergy patientId={patientId} />}
    </section>
  );
}

function AddAllergy({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const add = useAddAllergy(patientId);
  const [substance, setSubstance] = useState('');
  const [reaction, setReaction] = useState('');
  const [severity, setSeverity] = useState<Severity>('moderate');
  const [errors, setErrors] = useState<{ substance?: string; reaction?: string; form?: string }>({});
  const submit = async () => {
    if (!substance.trim()) {
      setErrors({ substance: t('validation.required') });
      return;
    }
    setErrors({});
    try {
      await add.mutateAsync({
        substance: substance.trim(),
        severity,
        ...(reaction.trim() ? { reaction: reaction.trim() } : {}),
      });
      toast.success(t('records.allergies.added'));
      setSubstance('');
      setReaction('');
    } catch (e) {
      if (!isApiError(e)) throw e;
      const next: typeof errors = {};
      for (const fe of e.fieldErrors) {
        const f = fe.field.replace(/^\//, '');
        if (f === 'substance' || f === 'reaction') next[f] = fieldErrorMessage(t, fe);
      }
      if (!next.substance && !next.reaction) next.form = errorMessage(t, e);
      setErrors(next);
    }
  };
  return (
    <form
      className="form form--inline"
      noValidate
      aria-label={t('records.allergies.add')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>{t('records.allergies.add')}</h3>
      {errors.form && <Alert tone="error">{errors.form}</Alert>}
      <div className="grid">
        <Field label={t('records.allergies.substance')} error={errors.substance} required>
          <input className="input" value={substance} maxLength={200} onChange={(e) => setSubstance(e.target.value)} />
        </Field>
        <Field label={t('records.allergies.reaction')} error={errors.reaction} optional>
          <input className="input" value={reaction} maxLength={500} onChange={(e) => setReaction(e.target.value)} />
        </Field>
        <Field label={t('records.allergies.severityLabel')} required>
          <select className="input" value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
            {severities.map((s) => (
              <option key={s} value={s}>
                {t(`records.allergies.severity.${s}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--secondary" disabled={add.isPending}>
          {add.isPending ? t('common.saving') : t('records.allergies.add')}
        </button>
      </div>
    </form>
  );
}

export function ConditionsPanel({ patientId, canEdit }: { patientId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const query = useQuery(conditionsQuery(patientId));
  const update = useUpdateCondition(patientId);
  const add = useAddCondition(patientId);
  const [error, setError] = useState<string | null>(null);
  const items = query.data ?? [];
  const addCode = async (c: Icd10Code) => {
    setError(null);
    try {
      await add.mutateAsync({ code: c.code, label: c.label });
      toast.success(t('records.conditions.added'));
    } catch (e) {
      setError(errorMessage(t, e));
    }
  };
  return (
    <section className="card" aria-labelledby="conditions-title">
      <h2 id="conditions-title">{t('records.conditions.title')}</h2>
      <AsyncContent query={query} isEmpty={items.length === 0} empty={t('records.conditions.none')}>
        <ul className="plain-list" aria-label={t('records.conditions.title')}>
          {items.map((c) => (
            <li key={c.id} className="entry-row">
              <span>
                <code>{c.code}</code> {c.label}
                {c.onset_date && (
                  <span className="muted">
                    {' '}
                    · {t('records.conditions.since', { date: formatDate(c.onset_date, locale) })}
                  </span>
                )}
                {c.status === 'resolved' && <span className="badge badge--muted">{t('records.status.resolved')}</span>}
              </span>
              {canEdit && (
                <StatusToggle
                  status={c.status}
                  name={c.code}
                  pending={update.isPending}
                  onToggle={(status) => update.mutateAsync({ id: c.id, version: c.version, patch: { status } })}
                />
              )}
            </li>
          ))}
        </ul>
      </AsyncContent>
      {canEdit && (
        <div className="stack">
          {error && <Alert tone="error">{error}</Alert>}
          <Icd10Lookup label={t('records.conditions.add')} onSelect={(c) => void addCode(c)} />
        </div>
      )}
    </section>
  );
}
