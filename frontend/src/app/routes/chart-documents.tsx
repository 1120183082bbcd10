// SPDX-License-Identifier: Apache-2.0
// The chart's documents tab: the list and the upload form for the staff in the chart. Doctors
// and nurses open every document and may link an upload to one of the patient's encounters;
// secretaries upload too but open only non-clinical documents.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DocumentList } from '@/features/documents/components/document-list';
import { DocumentUpload } from '@/features/documents/components/document-upload';
import { encountersQuery } from '@/features/records/api/records';
import { useUser } from '@/lib/auth';
import { can } from '@/lib/authorization';
import { useLocale } from '@/lib/i18n';
import { formatDateTime } from '@/utils/format';

export function DocumentsTab({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { data: user } = useUser();
  const clinical = can(user?.role, 'clinical:read');
  const encounters = useInfiniteQuery({ ...encountersQuery(patientId), enabled: clinical });
  const options = (encounters.data?.pages.flatMap((p) => p.items) ?? []).map((e) => ({
    id: e.id,
    label: `${formatDateTime(e.occurred_at, locale)} · ${e.reason}`,
  }));
  return (
    <div className="stack">
      <section className="card" aria-labelledby="documents-upload-title">
        <h2 id="documents-upload-title">{t('documents.uploadTitle')}</h2>
        <DocumentUpload
          patientId={patientId}
          encounters={options}
          defaultCategory={clinical ? 'lab_result' : 'administrative'}
        />
      </section>
      <section aria-labelledby="documents-list-title">
        <h2 id="documents-list-title">{t('documents.listTitle')}</h2>
        <DocumentList patientId={patientId} canOpenClinical={clinical} />
      </section>
    </div>
  );
}
