// SPDX-License-Identifier: Apache-2.0
// A patient's encounters, newest first: when, why, the diagnoses in force, who, and whether it is
// a draft or signed (doctors also see drafts; nurses and the patient signed ones only).
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AsyncContent, LoadMore } from '@/components/async-content';
import { useLocale } from '@/lib/i18n';
import { formatDateTime } from '@/utils/format';
import { encountersQuery } from '../api/records';

export function EncounterList({
  patientId,
  encounterHref,
}: {
  patientId: string;
  encounterHref: (encounterId: string) => string;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const query = useInfiniteQuery(encountersQuery(patientId));
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <AsyncContent query={query} isEmpty={items.length === 0} empty={t('records.encounters.empty')}>
      <div className="stack">
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('records.encounters.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('records.encounters.occurredAt')}</th>
                <th scope="col">{t('records.encounters.reason')}</th>
                <th scope="col">{t('records.encounters.diagnoses')}</th>
                <th scope="col">{t('records.encounters.author')}</th>
                <th scope="col">{t('records.encounters.statusLabel')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <Link to={encounterHref(e.id)}>
                      <time dateTime={e.occurred_at}>{formatDateTime(e.occurred_at, locale)}</time>
                    </Link>
                  </td>
                  <td>
                    {e.reason}
                    {e.prescription_count > 0 && (
                      <span className="muted small">
                        {' '}
                        · {t('records.encounters.prescriptionCount', { count: e.prescription_count })}
                      </span>
                    )}
                  </td>
                  <td>
                    {e.diagnoses.length === 0
                      ? t('common.none')
                      : e.diagnoses.map((d) => (
                          <span key={d.code} className="diagnosis-chip" title={d.label}>
                            <code>{d.code}</code> {d.label}
                          </span>
                        ))}
                  </td>
                  <td>{e.author_name ?? t('records.unknownAuthor')}</td>
                  <td>
                    <span className={e.status === 'signed' ? 'badge badge--ok' : 'badge badge--warning'}>
                      {t(`records.encounters.status.${e.status}`)}
                    </span>
                    {e.amendment_count > 0 && (
                      <span className="badge badge--muted">
                        {t('records.encounters.amendmentCount', { count: e.amendment_count })}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <LoadMore query={query} label={t('common.loadMore')} />
      </div>
    </AsyncContent>
  );
}
