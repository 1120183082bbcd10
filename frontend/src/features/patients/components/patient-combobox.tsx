// SPDX-License-Identifier: Apache-2.0
// Search as you type (debounced; accents and case ignored by the server) in the WAI-ARIA combobox
// pattern: arrow keys move through the results, Enter picks, Escape clears. Used by the patient
// search screen and wherever a patient must be picked.
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadMore } from '@/components/async-content';
import { ErrorState } from '@/components/errors/error-state';
import { Spinner } from '@/components/ui/spinner';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { formatDate } from '@/utils/format';
import { isEmptySearch, searchFromText, searchPatientsQuery } from '../api/patients';
import { fullName, type PatientSummary } from '../types';
import { useLocale } from '@/lib/i18n';

export const SEARCH_DEBOUNCE_MS = 250;

export function PatientCombobox({
  label,
  hint,
  onSelect,
  birthDate = '',
  autoFocus = false,
  error,
  compact = false,
}: {
  label: string;
  hint?: string;
  onSelect: (patient: PatientSummary) => void;
  birthDate?: string;
  autoFocus?: boolean;
  error?: string | undefined;
  /** A picker inside a form: fewer results, no paging. */
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const id = useId();
  const listId = `${id}-list`;
  const [text, setText] = useState('');
  const [active, setActive] = useState(-1);
  const search = searchFromText(useDebouncedValue(text, SEARCH_DEBOUNCE_MS), birthDate);
  const query = useInfiniteQuery({
    ...searchPatientsQuery(search, compact ? 8 : 20),
    placeholderData: keepPreviousData,
  });
  // Cleared text hides the results at once, without waiting for the debounce.
  const empty = isEmptySearch(search) || (text.trim() === '' && !birthDate);
  const results = empty ? [] : (query.data?.pages.flatMap((p) => p.items) ?? []);
  const open = !empty && results.length > 0;
  const optionId = (i: number) => `${id}-option-${i}`;

  const pick = (p: PatientSummary) => {
    setActive(-1);
    onSelect(p);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const last = results.length - 1;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        setActive((a) => (a >= last ? 0 : a + 1));
        break;
      case 'ArrowUp':
        e.preventDefault();
        setActive((a) => (a <= 0 ? last : a - 1));
        break;
      case 'Home':
        if (open && active >= 0) {
          e.preventDefault();
          setActive(0);
        }
        break;
      case 'End':
        if (open && active >= 0) {
          e.preventDefault();
          setActive(last);
        }
        break;
      case 'Enter': {
        const chosen = results[active >= 0 ? active : results.length === 1 ? 0 : -1];
        if (chosen) {
          e.preventDefault();
          pick(chosen);
        }
        break;
      }
      case 'Escape':
        if (text) {
          e.preventDefault();
          setText('');
          setActive(-1);
        }
        break;
    }
  };

  const count = results.length;
  const status = empty
    ? t('patients.emptyPrompt')
    : query.isFetching && !query.data
      ? t('common.loading')
      : count === 0
        ? t('patients.noResults')
        : query.hasNextPage
          ? t('patients.resultsCountMore', { count })
          : t('patients.resultsCount', { count });

  return (
    <div className={compact ? 'combobox combobox--compact' : 'combobox'}>
      <div className={error ? 'field field--invalid' : 'field'}>
        <label htmlFor={`${id}-input`}>{label}</label>
        <input
          id={`${id}-input`}
          className="input input--search"
          type="text"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && active >= 0 ? optionId(active) : undefined}
          aria-describedby={[hint ? `${id}-hint` : '', `${id}-status`, error ? `${id}-error` : ''].join(' ').trim()}
          aria-invalid={error ? true : undefined}
          autoComplete="off"
          spellCheck={false}
          // The search screen exists to type into this box at once.
          // eslint-disable-next-line jsx-a11y/no-autofocus
          autoFocus={autoFocus}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setActive(-1);
          }}
          onKeyDown={onKeyDown}
        />
        {hint && (
          <p id={`${id}-hint`} className="field__hint">
            {hint}
          </p>
        )}
        {error && (
          <p id={`${id}-error`} className="field__error">
            {error}
          </p>
        )}
      </div>
      <p id={`${id}-status`} className="combobox__status" role="status" aria-live="polite">
        {status}
        {query.isFetching && query.data && <Spinner inline />}
      </p>
      {query.isError && !empty && <ErrorState error={query.error} onRetry={() => void query.refetch()} />}
      <ul id={listId} role="listbox" aria-label={t('patients.results')} className="combobox__list" hidden={!open}>
        {results.map((p, i) => (
          // Options are reached with the keyboard through the combobox input (aria-activedescendant).
          // eslint-disable-next-line jsx-a11y/click-events-have-key-events
          <li
            key={p.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'combobox__option combobox__option--active' : 'combobox__option'}
            // Keeps focus in the input while clicking, as the pattern requires.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(p)}
            onMouseMove={() => setActive(i)}
          >
            <span className="combobox__name">{fullName(p)}</span>
            <span className="combobox__meta">
              {t('patients.born', { date: formatDate(p.birth_date, locale) })} · {t('patients.age', { count: p.age })} ·{' '}
              {t('patients.mrn')} {p.mrn}
            </span>
            {p.archived && <span className="badge badge--muted">{t('patients.archived')}</span>}
          </li>
        ))}
      </ul>
      {!compact && <LoadMore query={query} label={t('common.loadMore')} />}
    </div>
  );
}
