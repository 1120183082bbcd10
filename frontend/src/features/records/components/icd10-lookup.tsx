// SPDX-License-Identifier: Apache-2.0
// Picks an ICD-10 code as one types its beginning ("J45", "e11.9") or words of its label
// ("diabete type 2"); accents and case are ignored by the server.
import { useTranslation } from 'react-i18next';
import { LookupCombobox } from '@/components/ui/lookup-combobox';
import { icd10Query } from '../api/records';
import type { Icd10Code } from '../types';

export function Icd10Lookup({
  label,
  onSelect,
  error,
}: {
  label: string;
  onSelect: (code: Icd10Code) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <LookupCombobox<Icd10Code>
      label={label}
      hint={t('records.icd10.hint')}
      error={error}
      query={icd10Query}
      optionKey={(c) => c.code}
      onSelect={onSelect}
      renderOption={(c) => (
        <>
          <code className="combobox__name">{c.code}</code> <span>{c.label}</span>
        </>
      )}
    />
  );
}
