// SPDX-License-Identifier: Apache-2.0
// Billing screens: the invoices of accountants and administrators (list with filters, new draft,
// detail with issue, payments, credit note and PDF; voiding a payment for administrators) and
// monthly statistics; the administrator's act catalogue; the doctor's invoices in a patient's chart.
// The patient picker comes from the patients feature.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { PageHeader } from '@/components/layout/page-header';
import { Alert } from '@/components/ui/alert';
import { useRequestRevenueReport, type InvoiceFilters } from '@/features/billing/api/billing';
import { ActCatalogue } from '@/features/billing/components/act-catalogue';
import { BillingStatsView } from '@/features/billing/components/billing-stats';
import { InvoiceDetail } from '@/features/billing/components/invoice-detail';
import { InvoiceFiltersForm, InvoiceList } from '@/features/billing/components/invoice-list';
import { JobProgress } from '@/features/jobs/components/job-progress';
import { NewInvoice, type PatientPicker } from '@/features/billing/components/new-invoice';
import { PatientCombobox } from '@/features/patients/components/patient-combobox';
import { fullName, type PatientSummary } from '@/features/patients/types';
import { useUser } from '@/lib/auth';
import { can } from '@/lib/authorization';
import { errorMessage } from '@/lib/error-message';

const invoiceHref = (id: string) => `/billing/invoices/${id}`;

export function BillingRoute() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<InvoiceFilters>({});
  return (
    <>
      <PageHeader
        title={t('billing.invoices.title')}
        actions={
          <Link className="button" to="/billing/invoices/new">
            {t('billing.invoices.new')}
          </Link>
        }
      />
      <div className="stack">
        <InvoiceFiltersForm filters={filters} onChange={setFilters} />
        <InvoiceList filters={filters} invoiceHref={invoiceHref} />
      </div>
    </>
  );
}

const BillingPatientPicker: PatientPicker = ({ onChange, error }) => (
  <ChosenPatient onChange={onChange} error={error} />
);

function ChosenPatient({ onChange, error }: { onChange: (id: string) => void; error?: string | undefined }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<PatientSummary | null>(null);
  return (
    <div className="stack">
      <PatientCombobox
        compact
        label={t('billing.newInvoice.patient')}
        error={error}
        onSelect={(p) => {
          setChosen(p);
          onChange(p.id);
        }}
      />
      {chosen && (
        <p className="selected-patient" role="status">
          {t('billing.newInvoice.patient')} : <strong>{fullName(chosen)}</strong> ({chosen.mrn})
        </p>
      )}
    </div>
  );
}

export function NewInvoiceRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title={t('billing.newInvoice.title')} actions={<BackToInvoices />} />
      <NewInvoice
        patientPicker={BillingPatientPicker}
        onCreated={(id) => void navigate(invoiceHref(id), { replace: true })}
      />
    </>
  );
}

export function InvoiceRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: user } = useUser();
  const { invoiceId = '' } = useParams();
  return (
    <>
      <PageHeader title={t('billing.kind.invoice')} actions={<BackToInvoices />} />
      <InvoiceDetail
        key={invoiceId}
        invoiceId={invoiceId}
        canManage
        canPay
        canVoid={can(user?.role, 'payments:void')}
        invoiceHref={invoiceHref}
        onDeleted={() => void navigate('/billing')}
      />
    </>
  );
}

function BackToInvoices() {
  const { t } = useTranslation();
  return (
    <Link className="button button--secondary" to="/billing">
      {t('billing.invoices.back')}
    </Link>
  );
}

/** The period's revenue as a PDF: rendered by a background job, followed, downloaded once. */
function RevenueReport({ year, month }: { year: number; month: number | null }) {
  const { t } = useTranslation();
  const start = useRequestRevenueReport();
  const [job, setJob] = useState<{ id: string; period: string } | null>(null);
  const period = `${year}-${month ?? ''}`;
  return (
    <div className="stack">
      {start.isError && <Alert tone="error">{errorMessage(t, start.error)}</Alert>}
      <div className="button-row">
        <button
          type="button"
          className="button button--secondary"
          disabled={start.isPending}
          onClick={() => start.mutate({ year, month }, { onSuccess: (r) => setJob({ id: r.job_id, period }) })}
        >
          {t('billing.stats.report')}
        </button>
      </div>
      {job && job.period === period && <JobProgress key={job.id} jobId={job.id} />}
    </div>
  );
}

export function StatsRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('billing.stats.title')} />
      <BillingStatsView actions={(year, month) => <RevenueReport year={year} month={month} />} />
    </>
  );
}

export function ActCatalogueRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('billing.acts.title')} />
      <ActCatalogue />
    </>
  );
}

/** The chart's invoices tab (a doctor's own acts, as the server filters them). */
export function ChartInvoicesTab({ patientId }: { patientId: string }) {
  return (
    <InvoiceList
      filters={{ patientId }}
      showPatient={false}
      invoiceHref={(id) => `/patients/${patientId}/invoices/${id}`}
    />
  );
}

export function ChartInvoiceRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { patientId = '', invoiceId = '' } = useParams();
  const { data: user } = useUser();
  return (
    <div className="stack">
      <div>
        <Link to={`/patients/${patientId}/invoices`}>← {t('billing.invoices.back')}</Link>
      </div>
      <InvoiceDetail
        key={invoiceId}
        invoiceId={invoiceId}
        canManage={can(user?.role, 'clinical:notes')}
        canPay={false}
        invoiceHref={(id) => `/patients/${patientId}/invoices/${id}`}
        onDeleted={() => void navigate(`/patients/${patientId}/invoices`)}
      />
    </div>
  );
}
