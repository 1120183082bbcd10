// SPDX-License-Identifier: Apache-2.0
// Staff patient screens: search, register, chart (banner + tabs), edit demographics.
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useNavigate, useParams } from 'react-router';
import { ComingSoon, type Module } from '@/components/coming-soon';
import { ErrorState } from '@/components/errors/error-state';
import { Forbidden, NotFound } from '@/components/errors/forbidden';
import { PageHeader } from '@/components/layout/page-header';
import { Spinner } from '@/components/ui/spinner';
import { patientQuery } from '@/features/patients/api/patients';
import { EditPatient } from '@/features/patients/components/edit-patient';
import { PatientBanner } from '@/features/patients/components/patient-banner';
import { PatientCombobox } from '@/features/patients/components/patient-combobox';
import { PatientDetails } from '@/features/patients/components/patient-details';
import { RegisterPatient } from '@/features/patients/components/register-patient';
import { AllergyFacts } from '@/features/records/components/allergy-facts';
import { AllergiesPanel, ConditionsPanel } from '@/features/records/components/allergies-conditions';
import { ClinicalSummaryView } from '@/features/records/components/clinical-summary';
import { fullName } from '@/features/patients/types';
import { useUser } from '@/lib/auth';
import { can, type Permission } from '@/lib/authorization';
import { ChartInvoicesTab } from './billing';
import { DocumentsTab } from './chart-documents';
import { EncountersTab, PrescriptionsTab, VitalsTab } from './chart-records';

export { EncounterRoute, NewEncounterRoute } from './chart-records';
export { ChartInvoiceRoute } from './billing';

/** The tabs that exist, by path; the others say which server module they wait for. */
const tabScreens: Partial<Record<string, (props: { patientId: string }) => ReactNode>> = {
  encounters: EncountersTab,
  vitals: VitalsTab,
  prescriptions: PrescriptionsTab,
  documents: DocumentsTab,
  invoices: ChartInvoicesTab,
};

export function PatientSearchRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: user } = useUser();
  const [birthDate, setBirthDate] = useState('');
  return (
    <>
      <PageHeader
        title={t('patients.searchTitle')}
        focusTitle={false}
        actions={
          can(user?.role, 'patients:register') && (
            <Link className="button" to="/patients/new">
              {t('nav.newPatient')}
            </Link>
          )
        }
      />
      <div className="search-panel">
        <PatientCombobox
          autoFocus
          label={t('patients.searchLabel')}
          hint={t('patients.searchHint')}
          birthDate={birthDate}
          onSelect={(p) => void navigate(`/patients/${p.id}`)}
        />
        <div className="field search-panel__date">
          <label htmlFor="search-birth-date">{t('patients.birthDateFilter')}</label>
          <input
            id="search-birth-date"
            type="date"
            className="input"
            value={birthDate}
            onChange={(e) => setBirthDate(e.target.value)}
          />
        </div>
      </div>
    </>
  );
}

export function RegisterPatientRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('patients.registerTitle')} />
      <RegisterPatient />
    </>
  );
}

type Tab = {
  path: string;
  key: 'summary' | 'appointments' | 'encounters' | 'vitals' | 'prescriptions' | 'documents' | 'invoices';
  module?: Module;
  permission?: Permission;
};

const tabs: Tab[] = [
  { path: '', key: 'summary' },
  { path: 'appointments', key: 'appointments', module: 'appointments' },
  { path: 'encounters', key: 'encounters', module: 'records', permission: 'clinical:read' },
  { path: 'vitals', key: 'vitals', module: 'records', permission: 'clinical:read' },
  { path: 'prescriptions', key: 'prescriptions', module: 'records', permission: 'clinical:notes' },
  { path: 'documents', key: 'documents', module: 'documents' },
  { path: 'invoices', key: 'invoices', module: 'billing', permission: 'clinical:notes' },
];

export function PatientChartRoute() {
  const { t } = useTranslation();
  const { patientId = '' } = useParams();
  const { data: user } = useUser();
  const query = useQuery(patientQuery(patientId));

  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const { patient } = query.data;
  const visible = tabs.filter((tab) => !tab.permission || can(user?.role, tab.permission));

  return (
    <>
      <PageHeader
        title={fullName(patient)}
        actions={
          can(user?.role, 'patients:edit') && (
            <Link className="button button--secondary" to={`/patients/${patient.id}/edit`}>
              {t('patients.editDemographics')}
            </Link>
          )
        }
      />
      <PatientBanner
        patient={patient}
        allergies={can(user?.role, 'clinical:read') ? <AllergyFacts patientId={patient.id} /> : undefined}
      />
      <nav className="tabs" aria-label={t('patients.tabsLabel')}>
        <ul>
          {visible.map((tab) => (
            <li key={tab.key}>
              <NavLink
                className="tabs__tab"
                to={`/patients/${patient.id}${tab.path ? `/${tab.path}` : ''}`}
                end={!tab.path}
              >
                {t(`patients.tabs.${tab.key}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="tabs__panel">
        <Outlet />
      </div>
    </>
  );
}

export function ChartSummary() {
  const { patientId = '' } = useParams();
  const { data: user } = useUser();
  const query = useQuery(patientQuery(patientId));
  return (
    <div className="stack">
      {can(user?.role, 'clinical:read') && (
        <ClinicalSummaryView patientId={patientId} encounterHref={(id) => `/patients/${patientId}/encounters/${id}`} />
      )}
      {can(user?.role, 'clinical:read') && (
        <div className="summary-grid">
          <AllergiesPanel patientId={patientId} canEdit />
          <ConditionsPanel patientId={patientId} canEdit={can(user?.role, 'clinical:notes')} />
        </div>
      )}
      {query.data && <PatientDetails patient={query.data.patient} />}
    </div>
  );
}

export function ChartTab() {
  const { tab: path, patientId = '' } = useParams();
  const { data: user } = useUser();
  const tab = tabs.find((x) => x.path === path && x.path !== '');
  if (!tab?.module) return <NotFound />;
  if (tab.permission && !can(user?.role, tab.permission)) return <Forbidden />;
  const Screen = tabScreens[tab.path];
  return Screen ? <Screen patientId={patientId} /> : <ComingSoon module={tab.module} />;
}

export function EditPatientRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { patientId = '' } = useParams();
  const query = useQuery(patientQuery(patientId));
  return (
    <>
      <PageHeader
        title={t('patients.editTitle')}
        actions={
          <Link className="button button--secondary" to={`/patients/${patientId}`}>
            {t('common.back')}
          </Link>
        }
      />
      {query.data && <PatientBanner patient={query.data.patient} />}
      <EditPatient patientId={patientId} onSaved={() => void navigate(`/patients/${patientId}`)} />
    </>
  );
}
