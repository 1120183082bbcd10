// SPDX-License-Identifier: Apache-2.0
// The lines of a draft: acts added from the catalogue by search, each with its quantity and unit
// price (the catalogue's by default; a doctor may bill above it). Totals are the server's: the
// preview here is only the sum of quantity × price, before VAT.
import { useTranslation } from 'react-i18next';
import { useLocale } from '@/lib/i18n';
import { centsToInput, formatMoney, formatRate, parseEuros, type InvoiceLineInput } from '../types';
import { ActLookup } from './act-lookup';

export interface LineDraft {
  code: string;
  label: string;
  quantity: string;
  price: string;
  /** The catalogue's price: sent only when the price differs from it. */
  catalogueCents: number;
  vat_rate_bp: number;
}

export function toLineInputs(lines: LineDraft[]): InvoiceLineInput[] {
  return lines.map((l) => {
    const cents = parseEuros(l.price);
    const input: InvoiceLineInput = { code: l.code, quantity: Number(l.quantity) };
    if (cents !== null && cents !== l.catalogueCents) input.unit_price_cents = cents;
    return input;
  });
}

/** Per line: a message when the quantity or price cannot be sent. */
export function lineErrors(
  lines: LineDraft[],
  t: (k: 'billing.lines.badQuantity' | 'billing.lines.badPrice') => string,
) {
  return lines.map((l) =>
    !/^\d+$/.test(l.quantity.trim()) || Number(l.quantity) < 1 || Number(l.quantity) > 99
      ? t('billing.lines.badQuantity')
      : parseEuros(l.price) === null
        ? t('billing.lines.badPrice')
        : undefined,
  );
}

export function InvoiceLinesEditor({
  lines,
  onChange,
  errors = [],
}: {
  lines: LineDraft[];
  onChange: (lines: LineDraft[]) => void;
  errors?: (string | undefined)[];
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const set = (i: number, patch: Partial<LineDraft>) =>
    onChange(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const preview = lines.reduce((sum, l) => sum + (parseEuros(l.price) ?? 0) * (Number(l.quantity) || 0), 0);
  return (
    <fieldset className="fieldset">
      <legend>{t('billing.lines.title')}</legend>
      <ActLookup
        label={t('billing.lines.add')}
        onSelect={(a) =>
          onChange([
            ...lines,
            {
              code: a.code,
              label: a.label,
              quantity: '1',
              price: centsToInput(a.price_cents),
              catalogueCents: a.price_cents,
              vat_rate_bp: a.vat_rate_bp,
            },
          ])
        }
      />
      {lines.length === 0 ? (
        <p className="empty-state">{t('billing.lines.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table table--dense">
            <caption className="visually-hidden">{t('billing.lines.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('billing.lines.act')}</th>
                <th scope="col">{t('billing.lines.quantity')}</th>
                <th scope="col">{t('billing.lines.unitPrice')}</th>
                <th scope="col">{t('billing.lines.vat')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('billing.lines.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l, i) => (
                <tr key={`${l.code}-${i}`}>
                  <td>
                    <code>{l.code}</code> {l.label}
                    {errors[i] && (
                      <p className="field__error" id={`line-${i}-error`}>
                        {errors[i]}
                      </p>
                    )}
                  </td>
                  <td>
                    <input
                      className="input input--number"
                      inputMode="numeric"
                      aria-label={t('billing.lines.quantityOf', { code: l.code })}
                      aria-invalid={errors[i] ? true : undefined}
                      aria-describedby={errors[i] ? `line-${i}-error` : undefined}
                      value={l.quantity}
                      onChange={(e) => set(i, { quantity: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      className="input input--number"
                      inputMode="decimal"
                      aria-label={t('billing.lines.priceOf', { code: l.code })}
                      aria-invalid={errors[i] ? true : undefined}
                      value={l.price}
                      onChange={(e) => set(i, { price: e.target.value })}
                    />
                  </td>
                  <td>{formatRate(l.vat_rate_bp, locale)}</td>
                  <td>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      aria-label={t('billing.lines.removeOf', { code: l.code })}
                      onClick={() => onChange(lines.filter((_, j) => j !== i))}
                    >
                      {t('billing.lines.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">
        {t('billing.lines.preview')} <output>{formatMoney(preview, locale)}</output>
      </p>
    </fieldset>
  );
}
