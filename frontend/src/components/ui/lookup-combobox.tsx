// SPDX-License-Identifier: Apache-2.0
// Search as you type for reference data (ICD-10 codes, billing acts) in the WAI-ARIA combobox
// pattern: the text is debounced, arrow keys move through the results, Enter picks, Escape
// clears. The caller says how to query and how to show an option; picking hands the item back.
import { keepPreviousData, useQuery, type QueryKey, type UseQueryOptions } from '@tanstack/react-query';
import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '@/components/errors/error-state';
import { Spinner } from '@/components/ui/spinner';
import { useDebouncedValue } from '@/lib/use-debounced-value';

export const LOOKUP_DEBOUNCE_MS = 200;

export interface LookupComboboxProps<T> {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** The query for the (debounced, trimmed) text; only run once the text is long enough. */
  query: (text: string) => UseQueryOptions<T[], Error, T[], QueryKey>;
  optionKey: (item: T) => string;
  renderOption: (item: T) => ReactNode;
  onSelect: (item: T) => void;
  minLength?: number;
  /** The field keeps the text after a pick (false: it empties, ready for the next one). */
  keepText?: ((item: T) => string) | undefined;
  id?: string | undefined;
  disabled?: boolean | undefined;
}

export function LookupCombobox<T>({
  label,
  hint,
  error,
  query: queryFor,
  optionKey,
  renderOption,
  onSelect,
  minLength = 1,
  keepText,
  id: givenId,
  disabled,
}: LookupComboboxProps<T>) {
  const { t } = useTranslation();
  const generated = useId();
  const id = givenId ?? generated;
  const listId = `${id}-list`;
  const [text, setText] = useState('');
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const debounced = useDebouncedValue(text.trim(), LOOKUP_DEBOUNCE_MS);
  const enabled = debounced.length >= minLength;
  const query = useQuery({ ...queryFor(debounced), enabled, placeholderData: keepPreviousData });
  const tooShort = text.trim().length < minLength;
  const results = tooShort || !enabled ? [] : (query.data ?? []);
  const expanded = open && results.length > 0;
  const optionId = (i: number) => `${id}-option-${i}`;

  const pick = (item: T) => {
    setActive(-1);
    setOpen(false);
    setText(keepText ? keepText(item) : '');
    onSelect(item);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const last = results.length - 1;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        setOpen(true);
        setActive((a) => (a >= last ? 0 : a + 1));
        break;
      case 'ArrowUp':
        e.preventDefault();
        setOpen(true);
        setActive((a) => (a <= 0 ? last : a - 1));
        break;
      case 'Enter': {
        // Enter inside a form must pick, never submit the form.
        if (!expanded) return;
        const chosen = results[active >= 0 ? active : results.length === 1 ? 0 : -1];
        e.preventDefault();
        if (chosen) pick(chosen);
        break;
      }
      case 'Escape':
        if (expanded) {
          e.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (text) {
          e.preventDefault();
          setText('');
        }
        break;
    }
  };

  const count = results.length;
  const status = tooShort
    ? ''
    : !enabled || (query.isFetching && !query.data)
      ? t('common.loading')
      : count === 0
        ? t('lookup.noResults')
        : t('lookup.resultsCount', { count });

  return (
    <div className="combobox combobox--compact">
      <div className={error ? 'field field--invalid' : 'field'}>
        <label htmlFor={`${id}-input`}>{label}</label>
        <input
          id={`${id}-input`}
          className="input input--search"
          type="text"
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          aria-describedby={[hint ? `${id}-hint` : '', `${id}-status`, error ? `${id}-error` : ''].join(' ').trim()}
          aria-invalid={error ? true : undefined}
          autoComplete="off"
          spellCheck={false}
          disabled={disabled}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setActive(-1);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
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
      {query.isError && enabled && <ErrorState error={query.error} onRetry={() => void query.refetch()} />}
      <ul id={listId} role="listbox" aria-label={label} className="combobox__list" hidden={!expanded}>
        {results.map((item, i) => (
          // Options are reached with the keyboard through the input (aria-activedescendant).
          // eslint-disable-next-line jsx-a11y/click-events-have-key-events
          <li
            key={optionKey(item)}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'combobox__option combobox__option--active' : 'combobox__option'}
            // Keeps focus in the input while clicking, as the pattern requires.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(item)}
            onMouseMove={() => setActive(i)}
          >
            {renderOption(item)}
          </li>
        ))}
      </ul>
    </div>
  );
}
