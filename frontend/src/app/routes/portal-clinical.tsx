// SPDX-License-Identifier: Apache-2.0
// The patient portal's clinical part: one's own signed consultations (read-only, with the
// prescription PDF), documents (download) and invoices (PDF). The record id comes from the
// session; the server returns only what is the patient's (another's answers 404).
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PageHeader } from '@/components/layout/page-header';
import { Alert } from '@/components/ui/alert';
import { InvoiceDetail } from '@/features/billing/components/invoice-detail';
import { InvoiceList } from '@/features/billing/components/invoice-list';
import { DocumentList } from '@/features/documents/components/document-list';
import { encountersQuery } from '@/features/records/api/records';
import { ClinicalSummaryView } from '@/features/records/components/clinical-summary';
import { EncounterList } from '@/features/records/components/encounter-list';
import { EncounterPage } from '@/features/records/components/encounter-page';
import { useUser } from '@/lib/auth';

const encounterHref = (id: string) => `/portal/records/${id}`;
const invoiceHref = (id: string) => `/portal/invoices/${id}`;

function useOwnPatientId(): string | null {
  const { data: user } = useUser();
  return user?.patient_id ?? null;
}

function NoLinkedRecord() {
  const { t } = useTranslation();
  return <Alert tone="warning">{t('portal.noPatient')}</Alert>;
}

export function PortalRecordsRoute() {
  const { t } = useTranslation();
  const patientId = useOwnPatientId();
  // Warm the list while the summary renders.
  useInfiniteQuery({ ...encountersQuery(patientId ?? ''), enabled: patientId !== null });
  return (
    <>
      <PageHeader title={t('portalClinical.recordsTitle')}>
        <p className="muted">{t('portalClinical.recordsIntro')}</p>
      </PageHeader>
      {patientId ? (
        <div className="stack">
          <ClinicalSummaryView patientId={patientId} encounterHref={encounterHref} />
          <section aria-labelledby="portal-encounters">
            <h2 id="portal-encounters">{t('records.encounters.title')}</h2>
            <EncounterList patientId={patientId} encounterHref={encounterHref} />
          </section>
        </div>
      ) : (
        <NoLinkedRecord />
      )}
    </>
  );
}

export function PortalEncounterRoute() {
  const { t } = useTranslation();
  const patientId = useOwnPatientId();
  const { encounterId = '' } = useParams();
  return (
    <>
      <PageHeader
        title={t('portalClinical.encounterTitle')}
        actions={
          <Link className="button button--secondary" to="/portal/records">
            {t('common.back')}
          </Link>
        }
      />
      {patientId ? (
        <EncounterPage
          key={encounterId}
          patientId={patientId}
          encounterId={encounterId}
          userId={undefined}
          isDoctor={false}
          onDiscarded={() => undefined}
        />
      ) : (
        <NoLinkedRecord />
      )}
    </>
  );
}

export function PortalDocumentsRoute() {
  const { t } = useTranslation();
  const patientId = useOwnPatientId();
  return (
    <>
      <PageHeader title={t('portalClinical.documentsTitle')} />
      {patientId ? <DocumentList patientId={patientId} canOpenClinical /> : <NoLinkedRecord />}
    </>
  );
}

export function PortalInvoicesRoute() {
  const { t } = useTranslation();
  const patientId = useOwnPatientId();
  return (
    <>
      <PageHeader title={t('portalClinical.invoicesTitle')} />
      {patientId ? <InvoiceList filters={{}} showPatient={false} invoiceHref={invoiceHref} /> : <NoLinkedRecord />}
    </>
  );
}

export function PortalInvoiceRoute() {
  const { t } = useTranslation();
  const { invoiceId = '' } = useParams();
  return (
    <>
      <PageHeader
        title={t('portalClinical.invoiceTitle')}
        actions={
          <Link className="button button--secondary" to="/portal/invoices">
            {t('common.back')}
          </Link>
        }
      />
      <InvoiceDetail
        key={invoiceId}
        invoiceId={invoiceId}
        canManage={false}
        canPay={false}
        invoiceHref={invoiceHref}
        onDeleted={() => undefined}
      />
    </>
  );
}
