// SPDX-License-Identifier: Apache-2.0
// One encounter of the chart: its author edits their own draft; everyone else (a colleague's
// draft, any signed encounter) reads it.
import { useQuery } from '@tanstack/react-query';
import { ErrorState } from '@/components/errors/error-state';
import { Spinner } from '@/components/ui/spinner';
import { encounterQuery } from '../api/records';
import { EncounterEditor } from './encounter-editor';
import { EncounterView } from './encounter-view';

export function EncounterPage({
  patientId,
  encounterId,
  userId,
  isDoctor,
  onDiscarded,
}: {
  patientId: string;
  encounterId: string;
  userId: string | undefined;
  isDoctor: boolean;
  onDiscarded: () => void;
}) {
  const query = useQuery(encounterQuery(encounterId));
  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const { encounter } = query.data;
  if (encounter.status === 'draft' && isDoctor && encounter.author_id === userId) {
    return (
      <EncounterEditor
        // A new version (after a reload) starts the form afresh.
        key={`${encounter.id}-${encounter.version}`}
        patientId={patientId}
        draft={query.data}
        onCreated={() => undefined}
        onDiscarded={onDiscarded}
        onReload={() => void query.refetch()}
      />
    );
  }
  return <EncounterView encounter={encounter} canAmend={isDoctor} />;
}
