// SPDX-License-Identifier: Apache-2.0
// Administration screens: users (list, create, edit) and the audit trail.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { NotFound } from '@/components/errors/forbidden';
import { PageHeader } from '@/components/layout/page-header';
import { AuditTrail } from '@/features/audit/components/audit-trail';
import { UserCreateForm, type PatientPicker } from '@/features/identity/components/user-create-form';
import { UserEdit } from '@/features/identity/components/user-edit';
import { UserList } from '@/features/identity/components/user-list';
import { PatientCombobox } from '@/features/patients/components/patient-combobox';
import { fullName, type PatientSummary } from '@/features/patients/types';

export function UsersRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader
        title={t('users.title')}
        actions={
          <Link className="button" to="/admin/users/new">
            {t('users.new')}
          </Link>
        }
      />
      <UserList />
    </>
  );
}

export function NewUserRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('users.createTitle')} />
      <section className="card">
        <UserCreateForm patientPicker={(props) => <LinkedPatientPicker {...props} />} />
      </section>
    </>
  );
}

/** Identity's user form asks for a patient; the patients feature provides the search. */
function LinkedPatientPicker({ value, onChange, error }: Parameters<PatientPicker>[0]) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<PatientSummary | null>(null);
  return (
    <div className="stack">
      <PatientCombobox
        compact
        label={t('users.patient')}
        hint={t('users.patientHint')}
        error={error}
        onSelect={(p) => {
          setChosen(p);
          onChange(p.id);
        }}
      />
      {value && chosen && (
        <p className="selected-patient" role="status">
          {t('users.linkedPatient')} : <strong>{fullName(chosen)}</strong> ({chosen.mrn})
        </p>
      )}
    </div>
  );
}

export function UserRoute() {
  const { userId } = useParams();
  if (!userId) return <NotFound />;
  return <UserEdit userId={userId} />;
}

export function AuditRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('audit.title')}>
        <p className="muted">{t('audit.intro')}</p>
      </PageHeader>
      <AuditTrail />
    </>
  );
}
