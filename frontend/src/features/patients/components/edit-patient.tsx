// SPDX-License-Identifier: Apache-2.0
// Edits a patient's demographics (staff: every field; the patient: contact fields only). The
// change carries the ETag read with the record; a 412 means someone else saved in between, and
// the user is offered to reload rather than overwrite their change.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { ConflictAlert } from '@/components/conflict-alert';
import { ErrorState } from '@/components/errors/error-state';
import { Spinner } from '@/components/ui/spinner';
import { isApiError } from '@/lib/api-error';
import { patientQuery, useUpdatePatient, type PatientWithEtag } from '../api/patients';
import { PatientForm } from './patient-form';
import { formValuesOf, toPatientPatch } from './patient-form-model';

export function EditPatient({
  patientId,
  scope = 'full',
  onSaved,
  savedMessage,
}: {
  patientId: string;
  scope?: 'full' | 'contact';
  onSaved?: () => void;
  savedMessage?: string;
}) {
  const query = useQuery(patientQuery(patientId));
  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <EditPatientLoaded
      // A reload (after a conflict) brings a new version: start the form afresh from it.
      key={query.data.etag}
      record={query.data}
      scope={scope}
      onReload={() => void query.refetch()}
      onSaved={onSaved}
      savedMessage={savedMessage}
    />
  );
}

function EditPatientLoaded({
  record,
  scope,
  onReload,
  onSaved,
  savedMessage,
}: {
  record: PatientWithEtag;
  scope: 'full' | 'contact';
  onReload: () => void;
  onSaved: (() => void) | undefined;
  savedMessage: string | undefined;
}) {
  const { t } = useTranslation();
  const update = useUpdatePatient(record.patient.id);
  const [conflict, setConflict] = useState(false);

  return (
    <>
      {conflict && <ConflictAlert onReload={onReload} />}
      <PatientForm
        defaultValues={formValuesOf(record.patient)}
        scope={scope}
        disabled={conflict}
        submitLabel={t('common.save')}
        onSubmit={async (values, dirty) => {
          const patch = toPatientPatch(values, dirty);
          if (Object.keys(patch).length === 0) {
            toast.info(t('patients.noChanges'));
            return;
          }
          try {
            await update.mutateAsync({ patch, etag: record.etag });
            toast.success(savedMessage ?? t('patients.saved'));
            onSaved?.();
          } catch (e) {
            if (isApiError(e) && e.status === 412) {
              setConflict(true);
              return;
            }
            throw e;
          }
        }}
      />
    </>
  );
}
