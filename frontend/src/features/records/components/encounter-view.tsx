// SPDX-License-Identifier: Apache-2.0
// An encounter read-only: a signed one (with its signature check, amendments and the ordonnance
// PDF), or a colleague's draft. Notes the caller may not read (a nurse: the doctor's reasoning)
// come back empty from the server and are simply not shown. Doctors amend signed encounters.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Dialog } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { errorMessage, toastError } from '@/lib/error-message';
import { useLocale } from '@/lib/i18n';
import { formatDateTime } from '@/utils/format';
import { downloadPrescription, useAmendEncounter } from '../api/records';
import type { Encounter } from '../types';
import { DiagnosesEditor, type DiagnosisValue } from './diagnoses-editor';
import { MAX_DIAGNOSES } from './encounter-form-model';
import { PrescriptionLine } from './prescription-line';

const soap = ['subjective', 'objective', 'assessment', 'plan'] as const;

export function EncounterView({ encounter: e, canAmend }: { encounter: Encounter; canAmend: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [amending, setAmending] = useState(false);
  const [printing, setPrinting] = useState(false);
  const signed = e.status === 'signed';
  const notes = soap.filter((k) => e.notes[k]);
  const amendedDiagnoses = e.amendments.some((a) => a.diagnoses.length > 0);

  const print = async () => {
    setPrinting(true);
    try {
      await downloadPrescription(e.id);
    } catch (err) {
      toastError(t, err);
    } finally {
      setPrinting(false);
    }
  };

  return (
    <article className="stack" aria-labelledby="encounter-title">
      <header className="card">
        <h2 id="encounter-title">{e.reason}</h2>
        <p>
          <time dateTime={e.occurred_at}>{formatDateTime(e.occurred_at, locale)}</time> ·{' '}
          {e.author_name ?? t('records.unknownAuthor')}{' '}
          <span className={signed ? 'badge badge--ok' : 'badge badge--warning'}>
            {t(`records.encounters.status.${e.status}`)}
          </span>
        </p>
        {signed && e.signed_at && (
          <p className="muted">
            {t('records.encounters.signedAt', { date: formatDateTime(e.signed_at, locale) })}
            {e.signature_valid === false && ' '}
          </p>
        )}
        {signed && e.signature_valid === false && (
          <Alert tone="error">{t('records.encounters.signatureInvalid')}</Alert>
        )}
        <div className="form__actions">
          {signed && e.prescriptions.length > 0 && (
            <button type="button" className="button" disabled={printing} onClick={() => void print()}>
              {printing ? t('common.loading') : t('records.encounters.printPrescription')}
            </button>
          )}
          {signed && canAmend && (
            <button type="button" className="button button--secondary" onClick={() => setAmending(true)}>
              {t('records.amendments.add')}
            </button>
          )}
        </div>
      </header>
      {notes.length > 0 && (
        <section className="card" aria-labelledby="encounter-notes">
          <h3 id="encounter-notes">{t('records.encounters.notes')}</h3>
          <dl className="details">
            {notes.map((k) => (
              <div className="details__row" key={k}>
                <dt>{t(`records.encounters.soap.${k}`)}</dt>
                <dd className="prewrap">{e.notes[k]}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      <section className="card" aria-labelledby="encounter-diagnoses">
        <h3 id="encounter-diagnoses">
          {amendedDiagnoses ? t('records.encounters.currentDiagnoses') : t('records.encounters.diagnoses')}
        </h3>
        {e.current_diagnoses.length === 0 ? (
          <p className="empty-state">{t('records.diagnoses.none')}</p>
        ) : (
          <ul className="plain-list">
            {e.current_diagnoses.map((d) => (
              <li key={d.code}>
                <code>{d.code}</code> {d.label}
                {d.primary && <span className="badge badge--muted"> {t('records.diagnoses.primary')}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="encounter-prescriptions">
        <h3 id="encounter-prescriptions">{t('records.prescriptions.title')}</h3>
        {e.prescriptions.length === 0 ? (
          <p className="empty-state">{t('records.prescriptions.noneInEncounter')}</p>
        ) : (
          <ol className="plain-list">
            {e.prescriptions.map((p) => (
              <li key={p.id}>
                <PrescriptionLine prescription={p} />
              </li>
            ))}
          </ol>
        )}
      </section>
      {e.amendments.length > 0 && (
        <section className="card" aria-labelledby="encounter-amendments">
          <h3 id="encounter-amendments">{t('records.amendments.title')}</h3>
          <ol className="plain-list">
            {e.amendments.map((a) => (
              <li key={a.id}>
                <p>
                  <strong>{a.author_name ?? t('records.unknownAuthor')}</strong>,{' '}
                  <time dateTime={a.signed_at}>{formatDateTime(a.signed_at, locale)}</time>
                </p>
                {a.text && <p className="prewrap">{a.text}</p>}
                {a.diagnoses.length > 0 && (
                  <p>
                    {t('records.amendments.correctedDiagnoses')}{' '}
                    {a.diagnoses.map((d) => (
                      <span key={d.code} className="diagnosis-chip">
                        <code>{d.code}</code> {d.label}
                      </span>
                    ))}
                  </p>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
      {amending && <AmendDialog encounter={e} onClose={() => setAmending(false)} />}
    </article>
  );
}

function AmendDialog({ encounter, onClose }: { encounter: Encounter; onClose: () => void }) {
  const { t } = useTranslation();
  const amend = useAmendEncounter(encounter.id, encounter.patient_id);
  const [text, setText] = useState('');
  const [fix, setFix] = useState(false);
  const [diagnoses, setDiagnoses] = useState<DiagnosisValue[]>(
    encounter.current_diagnoses.map((d) => ({ code: d.code, label: d.label })),
  );
  const [primary, setPrimary] = useState(encounter.current_diagnoses.find((d) => d.primary)?.code ?? '');
  const [error, setError] = useState<string | null>(null);
  const [textError, setTextError] = useState<string | undefined>();

  const submit = async () => {
    if (!text.trim()) {
      setTextError(t('validation.required'));
      return;
    }
    setTextError(undefined);
    setError(null);
    const main = diagnoses.some((d) => d.code === primary) ? primary : diagnoses[0]?.code;
    try {
      await amend.mutateAsync({
        text: text.trim(),
        ...(fix ? { diagnoses: diagnoses.map((d) => ({ ...d, primary: d.code === main })) } : {}),
      });
      toast.success(t('records.amendments.saved'));
      onClose();
    } catch (e) {
      setError(errorMessage(t, e));
    }
  };

  return (
    <Dialog open title={t('records.amendments.add')} onClose={onClose}>
      <div className="stack">
        {error && <Alert tone="error">{error}</Alert>}
        <p className="muted">{t('records.amendments.intro')}</p>
        <Field label={t('records.amendments.text')} error={textError} required>
          <textarea className="input" rows={4} value={text} onChange={(ev) => setText(ev.target.value)} />
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={fix} onChange={(ev) => setFix(ev.target.checked)} />{' '}
          {t('records.amendments.fixDiagnoses')}
        </label>
        {fix && (
          <DiagnosesEditor
            legend={t('records.encounters.diagnoses')}
            diagnoses={diagnoses}
            primary={primary}
            max={MAX_DIAGNOSES}
            onChange={(next, main) => {
              setDiagnoses(next);
              setPrimary(main);
            }}
          />
        )}
        <div className="form__actions">
          <button type="button" className="button" disabled={amend.isPending} onClick={() => void submit()}>
            {amend.isPending ? t('common.saving') : t('records.amendments.sign')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
