// SPDX-License-Identifier: Apache-2.0
// The GDPR export of a patient's data: the patient for themself (portal), an administrator for
// any patient. Starting it creates a background job; its progress and the download are the jobs
// feature's, and the job's id is kept in the address so that the notification "export ready"
// leads back here.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '@/components/layout/page-header';
import { Alert } from '@/components/ui/alert';
import { JobProgress } from '@/features/jobs/components/job-progress';
import { useStartPatientExport } from '@/features/patients/api/export';
import { PatientCombobox } from '@/features/patients/components/patient-combobox';
import { fullName } from '@/features/patients/types';
import { useUser } from '@/lib/auth';
import { errorMessage } from '@/lib/error-message';

function ExportPanel({ patientId }: { patientId: string | null }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const start = useStartPatientExport();
  const jobId = params.get('job');
  return (
    <div className="stack">
      <p>{t('notifications.jobs.exportIntro')}</p>
      {start.isError && <Alert tone="error">{errorMessage(t, start.error)}</Alert>}
      <div className="button-row">
        <button
          type="button"
          className="button"
          disabled={!patientId || start.isPending}
          onClick={() =>
            patientId && start.mutate(patientId, { onSuccess: (r) => setParams({ job: r.job_id }, { replace: true }) })
          }
        >
          {jobId ? t('notifications.jobs.exportAgain') : t('notifications.jobs.exportStart')}
        </button>
      </div>
      {jobId && <JobProgress key={jobId} jobId={jobId} />}
    </div>
  );
}

export function PortalExportRoute() {
  const { t } = useTranslation();
  const { data: user } = useUser();
  const patientId = user?.patient_id ?? null;
  return (
    <>
      <PageHeader title={t('notifications.jobs.exportTitle')} />
      {patientId ? <ExportPanel patientId={patientId} /> : <Alert tone="warning">{t('portal.noPatient')}</Alert>}
    </>
  );
}

export function AdminExportRoute() {
  const { t } = useTranslation();
  const [patient, setPatient] = useState<{ id: string; name: string } | null>(null);
  return (
    <>
      <PageHeader title={t('notifications.jobs.exportTitle')} />
      <div className="stack">
        <PatientCombobox
          compact
          label={t('appointments.booking.patientSearch')}
          onSelect={(p) => setPatient({ id: p.id, name: fullName(p) })}
        />
        {patient && (
          <p className="selected-patient">
            {t('appointments.booking.patient')} : <strong>{patient.name}</strong>
          </p>
        )}
        <ExportPanel patientId={patient?.id ?? null} />
      </div>
    </>
  );
}
