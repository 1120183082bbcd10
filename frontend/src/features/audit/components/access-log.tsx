// SPDX-License-Identifier: Apache-2.0
// Who accessed a patient's record: for the patient themself (and admins).
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { AsyncContent, LoadMore } from '@/components/async-content';
import { formatDateTime } from '@/utils/format';
import { accessLogQuery } from '../api/audit';
import { actionLabel, outcomeLabel } from './labels';
import { useLocale } from '@/lib/i18n';

export function AccessLog({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const query = useInfiniteQuery(accessLogQuery(patientId));
  const entries = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <AsyncContent query={query} isEmpty={entries.length === 0} empty={t('accessLog.empty')}>
      <div className="stack">
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('accessLog.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('accessLog.when')}</th>
                <th scope="col">{t('accessLog.who')}</th>
                <th scope="col">{t('accessLog.role')}</th>
                <th scope="col">{t('accessLog.action')}</th>
                <th scope="col">{t('accessLog.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e, i) => (
                <tr key={`${e.at}-${i}`}>
                  <td>
                    <time dateTime={e.at}>{formatDateTime(e.at, locale)}</time>
                  </td>
                  <td>
                    {e.actor_name ??
                      (e.actor_role === 'system' ? t('accessLog.systemActor') : t('accessLog.unknownActor'))}
                  </td>
                  <td>{t(`roles.${e.actor_role}` as 'roles.admin', { defaultValue: e.actor_role })}</td>
                  <td>{actionLabel(t, e.action)}</td>
                  <td>{outcomeLabel(t, e.outcome)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <LoadMore query={query} label={t('accessLog.loadOlder')} />
      </div>
    </AsyncContent>
  );
}
