// SPDX-License-Identifier: Apache-2.0
// Registers a patient. A probable duplicate stops the registration and shows the candidates;
// "register anyway" resends the same data with allow_duplicate=true.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { toast } from 'sonner';
import { isApiError } from '@/lib/api-error';
import { toastError } from '@/lib/error-message';
import { useRegisterPatient } from '../api/patients';
import { parseCandidates, type DuplicateCandidate, type PatientInput } from '../types';
import { DuplicateWarning } from './duplicate-warning';
import { PatientForm } from './patient-form';
import { emptyPatientForm, toPatientInput } from './patient-form-model';

export function RegisterPatient() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const register = useRegisterPatient();
  const [duplicates, setDuplicates] = useState<{ input: PatientInput; candidates: DuplicateCandidate[] } | null>(null);

  const send = async (input: PatientInput, allowDuplicate: boolean) => {
    try {
      const { patient } = await register.mutateAsync({ input, allowDuplicate });
      toast.success(t('patients.registered'));
      void navigate(`/patients/${patient.id}`);
    } catch (e) {
      if (isApiError(e) && e.status === 409 && e.code === 'patient.possible_duplicate') {
        setDuplicates({ input, candidates: parseCandidates(e.candidates) });
        // Bring the warning into view: it replaces the submit's expected outcome.
        requestAnimationFrame(() => document.getElementById('duplicate-warning')?.focus());
        return;
      }
      throw e;
    }
  };

  return (
    <>
      {duplicates && (
        <div id="duplicate-warning" tabIndex={-1}>
          <DuplicateWarning
            candidates={duplicates.candidates}
            busy={register.isPending}
            onRegisterAnyway={() => void send(duplicates.input, true).catch((e: unknown) => toastError(t, e))}
          />
        </div>
      )}
      <PatientForm
        defaultValues={emptyPatientForm}
        submitLabel={t('patients.register')}
        onSubmit={async (values) => {
          setDuplicates(null);
          await send(toPatientInput(values), false);
        }}
      />
    </>
  );
}
