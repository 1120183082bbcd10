// SPDX-License-Identifier: Apache-2.0
// The patient portal: one's own record (contact details editable) and who accessed it. The
// record id comes from the session, never from the address: a patient has only one record.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorState } from '@/components/errors/error-state';
import { PageHeader } from '@/components/layout/page-header';
import { Alert } from '@/components/ui/alert';
import { Spinner } from '@/components/ui/spinner';
import { AccessLog } from '@/features/audit/components/access-log';
import { patientQuery } from '@/features/patients/api/patients';
import { EditPatient } from '@/features/patients/components/edit-patient';
import { PatientBanner } from '@/features/patients/components/patient-banner';
import { PatientDetails } from '@/features/patients/components/patient-details';
import { useUser } from '@/lib/auth';

export {
  PortalDocumentsRoute,
  PortalEncounterRoute,
  PortalInvoiceRoute,
  PortalInvoicesRoute,
  PortalRecordsRoute,
} from './portal-clinical';

function useOwnPatientId(): string | null {
  const { data: user } = useUser();
  return user?.patient_id ?? null;
}

function NoLinkedRecord() {
  const { t } = useTranslation();
  return <Alert tone="warning">{t('portal.noPatient')}</Alert>;
}

export function PortalRoute() {
  const { t } = useTranslation();
  const patientId = useOwnPatientId();
  const query = useQuery({ ...patientQuery(patientId ?? ''), enabled: patientId !== null });
  return (
    <>
      <PageHeader
        title={t('portal.title')}
        actions={
          patientId && (
            <Link className="button button--secondary" to="/portal/contact">
              {t('common.edit')}
            </Link>
          )
        }
      >
        <p className="muted">{t('portal.intro')}</p>
      </PageHeader>
      {!patientId ? (
        <NoLinkedRecord />
      ) : query.isPending ? (
        <Spinner />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <PatientBanner patient={query.data.patient} />
          <PatientDetails patient={query.data.patient} />
        </>
      )}
    </>
  );
}

export function PortalContactRoute() {
  const { t } = useTranslation();
  const patientId = useOwnPatientId();
  return (
    <>
      <PageHeader
        title={t('portal.contactTitle')}
        actions={
          <Link className="button button--secondary" to="/portal">
            {t('common.back')}
          </Link>
        }
      />
      {patientId ? (
        <EditPatient patientId={patientId} scope="contact" savedMessage={t('portal.saved')} />
      ) : (
        <NoLinkedRecord />
      )}
    </>
  );
}

export function PortalAccessLogRoute() {
  const { t } = useTranslation();
  const patientId = useOwnPatientId();
  return (
    <>
      <PageHeader title={t('accessLog.title')}>
        <p className="muted">{t('accessLog.intro')}</p>
      </PageHeader>
      {patientId ? <AccessLog patientId={patientId} /> : <NoLinkedRecord />}
    </>
  );
}
