// SPDX-License-Identifier: Apache-2.0
// The diagnoses of an encounter (or of an amendment): ICD-10 codes added by search, one of them
// the main diagnosis, each removable. Controlled: the parent holds the list.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Icd10Lookup } from './icd10-lookup';

export interface DiagnosisValue {
  code: string;
  label: string;
}

export function DiagnosesEditor({
  diagnoses,
  primary,
  onChange,
  max,
  errors = {},
  legend,
}: {
  diagnoses: DiagnosisValue[];
  /** Code of the main diagnosis; '' means the first. */
  primary: string;
  onChange: (diagnoses: DiagnosisValue[], primary: string) => void;
  max: number;
  /** Server errors per row index. */
  errors?: Record<number, string | undefined>;
  legend: string;
}) {
  const { t } = useTranslation();
  const name = useId();
  const main = diagnoses.some((d) => d.code === primary) ? primary : (diagnoses[0]?.code ?? '');
  const full = diagnoses.length >= max;
  return (
    <fieldset className="fieldset">
      <legend>{legend}</legend>
      {full ? (
        <p className="muted">{t('records.diagnoses.max', { max })}</p>
      ) : (
        <Icd10Lookup
          label={t('records.diagnoses.add')}
          onSelect={(c) => {
            if (diagnoses.some((d) => d.code === c.code)) return;
            onChange([...diagnoses, { code: c.code, label: c.label }], main || c.code);
          }}
        />
      )}
      {diagnoses.length === 0 ? (
        <p className="empty-state">{t('records.diagnoses.none')}</p>
      ) : (
        <ul className="diagnosis-rows" aria-label={legend}>
          {diagnoses.map((d, i) => (
            <li key={d.code} className={errors[i] ? 'diagnosis-row diagnosis-row--invalid' : 'diagnosis-row'}>
              <span className="diagnosis-row__text">
                <code>{d.code}</code> {d.label}
              </span>
              <label className="diagnosis-row__primary">
                <input
                  type="radio"
                  name={name}
                  checked={d.code === main}
                  onChange={() => onChange(diagnoses, d.code)}
                />{' '}
                {t('records.diagnoses.primary')}
              </label>
              <button
                type="button"
                className="button button--secondary button--small"
                aria-label={t('records.diagnoses.remove', { code: d.code })}
                onClick={() => {
                  const rest = diagnoses.filter((x) => x.code !== d.code);
                  onChange(rest, d.code === main ? (rest[0]?.code ?? '') : main);
                }}
              >
                {t('records.remove')}
              </button>
              {errors[i] && <p className="field__error">{errors[i]}</p>}
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
