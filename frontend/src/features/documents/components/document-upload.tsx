// SPDX-License-Identifier: Apache-2.0
// Adds a document to a patient's file: a file dropped on the zone or chosen with the file input,
// its category and title, optionally the encounter it belongs to, and whether the patient sees it
// in the portal. The server decides the type from the bytes: a size (413) or type (415) refusal is
// shown in words next to the file.
import { useId, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { isApiError } from '@/lib/api-error';
import { errorMessage, fieldErrorMessage } from '@/lib/error-message';
import { useLocale } from '@/lib/i18n';
import { useUploadDocument } from '../api/documents';
import { categories, titleFromFilename, type Category } from '../types';
import { formatSize } from './document-list';

export interface EncounterOption {
  id: string;
  label: string;
}

export function DocumentUpload({
  patientId,
  encounters = [],
  defaultCategory = 'administrative',
}: {
  patientId: string;
  /** Encounters the document may be linked to (empty: no link offered). */
  encounters?: EncounterOption[];
  defaultCategory?: Category;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const upload = useUploadDocument(patientId);
  const [file, setFile] = useState<File | null>(null);
  const [category, setCategory] = useState<Category>(defaultCategory);
  const [title, setTitle] = useState('');
  const [encounterId, setEncounterId] = useState('');
  const [visible, setVisible] = useState(true);
  const [dragging, setDragging] = useState(false);
  const [errors, setErrors] = useState<{ file?: string; title?: string; form?: string }>({});

  const choose = (f: File | undefined) => {
    if (!f) return;
    // A title derived from the previous file follows the new one; a typed title stays.
    if (!title.trim() || (file && title === titleFromFilename(file.name))) setTitle(titleFromFilename(f.name));
    setFile(f);
    setErrors({});
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    choose(e.dataTransfer.files[0]);
  };

  const submit = async () => {
    const next: typeof errors = {};
    if (!file) next.file = t('documents.chooseFile');
    if (!title.trim()) next.title = t('validation.required');
    setErrors(next);
    if (!file || !title.trim()) return;
    try {
      await upload.mutateAsync({
        file,
        category,
        title: title.trim(),
        encounterId: encounterId || undefined,
        visibleToPatient: visible,
      });
      toast.success(t('documents.uploaded'));
      setFile(null);
      setTitle('');
      setEncounterId('');
      if (input.current) input.current.value = '';
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.status === 413) setErrors({ file: t('documents.tooLarge') });
      else if (e.status === 415) setErrors({ file: t('documents.unsupportedType') });
      else {
        const titleError = e.fieldErrors.find((fe) => fe.field === 'title' || fe.field === '/title');
        setErrors({
          title: titleError ? fieldErrorMessage(t, titleError) : undefined,
          form: titleError ? undefined : [errorMessage(t, e), e.detail].filter(Boolean).join(' — '),
        });
      }
    }
  };

  return (
    <form
      className="form"
      noValidate
      aria-label={t('documents.uploadTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {errors.form && <Alert tone="error">{errors.form}</Alert>}
      <div
        className={dragging ? 'dropzone dropzone--active' : errors.file ? 'dropzone dropzone--invalid' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>{t('documents.dropHere')}</p>
        <label htmlFor={`${id}-file`}>{t('documents.file')}</label>
        <input
          ref={input}
          id={`${id}-file`}
          type="file"
          className="input input--file"
          accept="application/pdf,image/jpeg,image/png,application/dicom,.dcm,text/plain"
          aria-describedby={`${id}-file-hint${errors.file ? ` ${id}-file-error` : ''}`}
          aria-invalid={errors.file ? true : undefined}
          onChange={(e) => choose(e.target.files?.[0])}
        />
        <p id={`${id}-file-hint`} className="field__hint">
          {file
            ? t('documents.chosen', { name: file.name, size: formatSize(file.size, locale) })
            : t('documents.fileHint')}
        </p>
        {errors.file && (
          <p id={`${id}-file-error`} className="field__error" role="alert">
            {errors.file}
          </p>
        )}
      </div>
      <div className="grid">
        <Field label={t('documents.category')} required>
          <select className="input" value={category} onChange={(e) => setCategory(e.target.value as Category)}>
            {categories.map((c) => (
              <option key={c} value={c}>
                {t(`documents.categories.${c}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('documents.title')} error={errors.title} required>
          <input className="input" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
        </Field>
        {encounters.length > 0 && (
          <Field label={t('documents.encounter')} optional>
            <select className="input" value={encounterId} onChange={(e) => setEncounterId(e.target.value)}>
              <option value="">{t('documents.noEncounter')}</option>
              {encounters.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.label}
                </option>
              ))}
            </select>
          </Field>
        )}
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={visible} onChange={(e) => setVisible(e.target.checked)} />{' '}
        {t('documents.visibleToPatient')}
      </label>
      <div className="form__actions">
        <button type="submit" className="button" disabled={upload.isPending}>
          {upload.isPending ? t('documents.uploading') : t('documents.upload')}
        </button>
      </div>
    </form>
  );
}
