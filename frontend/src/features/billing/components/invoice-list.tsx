// SPDX-License-Identifier: Apache-2.0
// Invoices and credit notes, newest first, with filters (status, kind, issue period): number,
// dates, patient, practitioner, total, balance due and status; each opens its detail.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AsyncContent, LoadMore } from '@/components/async-content';
import { useLocale } from '@/lib/i18n';
import { formatDate } from '@/utils/format';
import { invoicesQuery, type InvoiceFilters } from '../api/billing';
import { formatMoney, invoiceStatuses, type InvoiceKind, type InvoiceStatus } from '../types';
import { StatusBadge } from './status-badge';

export function InvoiceFiltersForm({
  filters,
  onChange,
}: {
  filters: InvoiceFilters;
  onChange: (next: InvoiceFilters) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="filters grid">
      <div className="field">
        <label htmlFor="invoice-status">{t('billing.invoices.status')}</label>
        <select
          id="invoice-status"
          className="input"
          value={filters.status ?? ''}
          onChange={(e) => onChange({ ...filters, status: (e.target.value || undefined) as InvoiceStatus | undefined })}
        >
          <option value="">{t('common.all')}</option>
          {invoiceStatuses.map((s) => (
            <option key={s} value={s}>
              {t(`billing.status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="invoice-kind">{t('billing.invoices.kind')}</label>
        <select
          id="invoice-kind"
          className="input"
          value={filters.kind ?? ''}
          onChange={(e) => onChange({ ...filters, kind: (e.target.value || undefined) as InvoiceKind | undefined })}
        >
          <option value="">{t('common.all')}</option>
          <option value="invoice">{t('billing.kind.invoice')}</option>
          <option value="credit_note">{t('billing.kind.credit_note')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="invoice-from">{t('billing.invoices.from')}</label>
        <input
          id="invoice-from"
          type="date"
          className="input"
          value={filters.from ?? ''}
          onChange={(e) => onChange({ ...filters, from: e.target.value || undefined })}
        />
      </div>
      <div className="field">
        <label htmlFor="invoice-to">{t('billing.invoices.to')}</label>
        <input
          id="invoice-to"
          type="date"
          className="input"
          value={filters.to ?? ''}
          onChange={(e) => onChange({ ...filters, to: e.target.value || undefined })}
        />
      </div>
    </div>
  );
}

export function InvoiceList({
  filters,
  invoiceHref,
  showPatient = true,
}: {
  filters: InvoiceFilters;
  invoiceHref: (id: string) => string;
  showPatient?: boolean;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const query = useInfiniteQuery(invoicesQuery(filters));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <AsyncContent query={query} isEmpty={items.length === 0} empty={t('billing.invoices.empty')}>
      <div className="stack">
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('billing.invoices.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('billing.invoices.number')}</th>
                <th scope="col">{t('billing.invoices.serviceDate')}</th>
                {showPatient && <th scope="col">{t('billing.invoices.patient')}</th>}
                <th scope="col">{t('billing.invoices.practitioner')}</th>
                <th scope="col" className="num">
                  {t('billing.invoices.total')}
                </th>
                <th scope="col" className="num">
                  {t('billing.invoices.balance')}
                </th>
                <th scope="col">{t('billing.invoices.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={invoiceHref(i.id)}>
                      {i.number ?? t('billing.invoices.draftNumber')}
                      {i.kind === 'credit_note' && ` (${t('billing.kind.credit_note')})`}
                    </Link>
                  </td>
                  <td>{formatDate(i.service_date, locale)}</td>
                  {showPatient && (
                    <td>
                      {i.patient_name ?? t('common.none')}
                      {i.patient_mrn && <span className="muted small"> · {i.patient_mrn}</span>}
                    </td>
                  )}
                  <td>{i.practitioner_name ?? t('common.none')}</td>
                  <td className="num">{formatMoney(i.total_cents, locale)}</td>
                  <td className="num">{formatMoney(i.balance_due_cents, locale)}</td>
                  <td>
                    <StatusBadge status={i.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <LoadMore query={query} label={t('common.loadMore')} />
      </div>
    </AsyncContent>
  );
}
