// SPDX-License-Identifier: Apache-2.0
// A labelled form control with its hint and error, wired for assistive technology
// (label/for, aria-describedby, aria-invalid, errors announced).
import { cloneElement, useId, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';

type ControlProps = {
  id?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
  'aria-required'?: boolean;
};

export interface FieldProps {
  label: string;
  children: ReactElement<ControlProps>;
  hint?: string;
  error?: string | undefined;
  required?: boolean;
  optional?: boolean;
  className?: string;
}

export function Field({ label, children, hint, error, required, optional, className }: FieldProps) {
  const { t } = useTranslation();
  const generated = useId();
  const id = children.props.id ?? generated;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', error ? 'field--invalid' : '', className ?? ''].join(' ').trim()}>
      <label htmlFor={id}>
        {label}
        {required && (
          <span className="field__required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
        {optional && <span className="field__optional"> ({t('common.optional')})</span>}
      </label>
      {cloneElement(children, {
        id,
        'aria-describedby': describedBy,
        'aria-invalid': error ? true : undefined,
        'aria-required': required || undefined,
      })}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}
