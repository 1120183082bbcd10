// SPDX-License-Identifier: Apache-2.0
// The chart's medical-record tabs (summary, encounters, vitals, prescriptions), composed from the
// records feature for the roles the server lets read them.
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { Forbidden } from '@/components/errors/forbidden';
import { EncounterEditor } from '@/features/records/components/encounter-editor';
import { EncounterList } from '@/features/records/components/encounter-list';
import { EncounterPage } from '@/features/records/components/encounter-page';
import { PrescriptionsPanel } from '@/features/records/components/prescriptions-panel';
import { VitalsPanel } from '@/features/records/components/vitals-panel';
import { useUser } from '@/lib/auth';
import { can } from '@/lib/authorization';

const encounterPath = (patientId: string) => (encounterId: string) =>
  `/patients/${patientId}/encounters/${encounterId}`;

export function EncountersTab({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const { data: user } = useUser();
  return (
    <div className="stack">
      {can(user?.role, 'clinical:notes') && (
        <div>
          <Link className="button" to={`/patients/${patientId}/encounters/new`}>
            {t('records.encounters.new')}
          </Link>
        </div>
      )}
      <EncounterList patientId={patientId} encounterHref={encounterPath(patientId)} />
    </div>
  );
}

export function VitalsTab({ patientId }: { patientId: string }) {
  const { data: user } = useUser();
  return <VitalsPanel patientId={patientId} canRecord={can(user?.role, 'clinical:read')} />;
}

export function PrescriptionsTab({ patientId }: { patientId: string }) {
  const { data: user } = useUser();
  return <PrescriptionsPanel patientId={patientId} canChange={can(user?.role, 'clinical:notes')} />;
}

export function NewEncounterRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { patientId = '' } = useParams();
  const { data: user } = useUser();
  if (!can(user?.role, 'clinical:notes')) return <Forbidden />;
  return (
    <div className="stack">
      <BackToEncounters patientId={patientId} />
      <h2>{t('records.encounters.newTitle')}</h2>
      <EncounterEditor
        patientId={patientId}
        onCreated={(id) => void navigate(`/patients/${patientId}/encounters/${id}`, { replace: true })}
        onDiscarded={() => void navigate(`/patients/${patientId}/encounters`)}
        onReload={() => undefined}
      />
    </div>
  );
}

export function EncounterRoute() {
  const navigate = useNavigate();
  const { patientId = '', encounterId = '' } = useParams();
  const { data: user } = useUser();
  if (!can(user?.role, 'clinical:read')) return <Forbidden />;
  return (
    <div className="stack">
      <BackToEncounters patientId={patientId} />
      <EncounterPage
        key={encounterId}
        patientId={patientId}
        encounterId={encounterId}
        userId={user?.id}
        isDoctor={can(user?.role, 'clinical:notes')}
        onDiscarded={() => void navigate(`/patients/${patientId}/encounters`)}
      />
    </div>
  );
}

function BackToEncounters({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  return (
    <div>
      <Link to={`/patients/${patientId}/encounters`}>← {t('records.encounters.back')}</Link>
    </div>
  );
}
