// SPDX-License-Identifier: Apache-2.0
// Finds an act of the catalogue as one types its code ("G", "deqp") or words of its label.
import { useTranslation } from 'react-i18next';
import { LookupCombobox } from '@/components/ui/lookup-combobox';
import { useLocale } from '@/lib/i18n';
import { actLookupQuery } from '../api/billing';
import { formatMoney, type Act } from '../types';

export function ActLookup({ label, onSelect }: { label: string; onSelect: (act: Act) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <LookupCombobox<Act>
      label={label}
      hint={t('billing.acts.searchHint')}
      query={actLookupQuery}
      optionKey={(a) => a.code}
      onSelect={onSelect}
      renderOption={(a) => (
        <>
          <code className="combobox__name">{a.code}</code> <span>{a.label}</span>{' '}
          <span className="muted">{formatMoney(a.price_cents, locale)}</span>
        </>
      )}
    />
  );
}
