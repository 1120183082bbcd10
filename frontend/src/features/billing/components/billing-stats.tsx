// SPDX-License-Identifier: Apache-2.0
// The month's (or year's) revenue: issued, credited, collected and outstanding amounts, per
// practitioner and per payment method, with bar charts (their library loaded with them) whose
// text alternative is the tables beside them.
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '@/components/errors/error-state';
import { Spinner } from '@/components/ui/spinner';
import { useLocale } from '@/lib/i18n';
import { statsQuery } from '../api/billing';
import { formatMoney, type BillingStats } from '../types';

const StatsChart = lazy(() => import('./stats-chart'));

export function BillingStatsView({
  now = new Date(),
  actions,
}: {
  now?: Date;
  /** What the screen composes for the chosen period (e.g. its PDF report). */
  actions?: (year: number, month: number | null) => ReactNode;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const id = useId();
  const [year, setYear] = useState(now.getFullYear());
  const [month, setMonth] = useState<number | null>(now.getMonth() + 1);
  const query = useQuery(statsQuery(year, month));
  const monthName = (m: number) => new Intl.DateTimeFormat(locale, { month: 'long' }).format(new Date(2000, m - 1, 1));
  const years = Array.from({ length: 5 }, (_, i) => now.getFullYear() - i);

  return (
    <div className="stack">
      <div className="filters grid">
        <div className="field">
          <label htmlFor={`${id}-year`}>{t('billing.stats.year')}</label>
          <select id={`${id}-year`} className="input" value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-month`}>{t('billing.stats.month')}</label>
          <select
            id={`${id}-month`}
            className="input"
            value={month ?? ''}
            onChange={(e) => setMonth(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">{t('billing.stats.wholeYear')}</option>
            {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => (
              <option key={m} value={m}>
                {monthName(m)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {actions?.(year, month)}
      {query.isPending ? (
        <Spinner />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <StatsContent stats={query.data} monthName={monthName} />
      )}
    </div>
  );
}

function StatsContent({ stats, monthName }: { stats: BillingStats; monthName: (m: number) => string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const money = (c: number) => formatMoney(c, locale, stats.currency);
  const tt = stats.totals;
  const figures = [
    ['netIssued', tt.net_issued_cents],
    ['collected', tt.collected_cents],
    ['outstanding', tt.outstanding_cents],
    ['credited', tt.credited_cents],
  ] as const;
  const practitionerBars = stats.by_practitioner.map((p) => ({
    name: p.practitioner_name ?? t('common.none'),
    net: p.net_issued_cents,
    collected: p.collected_cents,
  }));
  const methodBars = stats.by_method.map((m) => ({
    name: t(`billing.methods.${m.method}`),
    collected: m.collected_cents,
  }));
  const monthBars = (stats.by_month ?? []).map((m) => ({
    name: monthName(Number(m.month.slice(5, 7))),
    net: m.net_issued_cents,
    collected: m.collected_cents,
  }));
  const chart = (title: string, data: { name: string; [k: string]: string | number }[], withNet: boolean) => (
    <figure className="chart card" aria-label={title}>
      <figcaption>
        <h3>{title}</h3>
      </figcaption>
      <Suspense fallback={<Spinner label={t('billing.stats.chartLoading')} />}>
        <StatsChart
          data={data}
          series={[
            ...(withNet ? [{ key: 'net', label: t('billing.stats.netIssued') }] : []),
            { key: 'collected', label: t('billing.stats.collected') },
          ]}
        />
      </Suspense>
    </figure>
  );

  return (
    <div className="stack">
      <dl className="figures">
        {figures.map(([k, v]) => (
          <div key={k} className="card figure">
            <dt>{t(`billing.stats.${k}`)}</dt>
            <dd>{money(v)}</dd>
          </div>
        ))}
        <div className="card figure">
          <dt>{t('billing.stats.counts')}</dt>
          <dd className="small">
            {t('billing.stats.invoiceCount', { count: tt.invoice_count })} ·{' '}
            {t('billing.stats.paymentCount', { count: tt.payment_count })}
          </dd>
        </div>
      </dl>
      {monthBars.length > 0 && chart(t('billing.stats.byMonth'), monthBars, true)}
      {chart(t('billing.stats.byPractitioner'), practitionerBars, true)}
      <div className="table-wrap">
        <table className="table">
          <caption>{t('billing.stats.byPractitioner')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('billing.invoices.practitioner')}</th>
              <th scope="col" className="num">
                {t('billing.stats.netIssued')}
              </th>
              <th scope="col" className="num">
                {t('billing.stats.collected')}
              </th>
              <th scope="col" className="num">
                {t('billing.stats.outstanding')}
              </th>
              <th scope="col" className="num">
                {t('billing.stats.invoices')}
              </th>
            </tr>
          </thead>
          <tbody>
            {stats.by_practitioner.map((p) => (
              <tr key={p.practitioner_id}>
                <th scope="row">{p.practitioner_name ?? t('common.none')}</th>
                <td className="num">{money(p.net_issued_cents)}</td>
                <td className="num">{money(p.collected_cents)}</td>
                <td className="num">{money(p.outstanding_cents)}</td>
                <td className="num">{p.invoice_count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {chart(t('billing.stats.byMethod'), methodBars, false)}
      <div className="table-wrap">
        <table className="table">
          <caption>{t('billing.stats.byMethod')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('billing.payments.method')}</th>
              <th scope="col" className="num">
                {t('billing.stats.collected')}
              </th>
              <th scope="col" className="num">
                {t('billing.stats.payments')}
              </th>
            </tr>
          </thead>
          <tbody>
            {stats.by_method.map((m) => (
              <tr key={m.method}>
                <th scope="row">{t(`billing.methods.${m.method}`)}</th>
                <td className="num">{money(m.collected_cents)}</td>
                <td className="num">{m.payment_count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
