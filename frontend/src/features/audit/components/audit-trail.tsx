// SPDX-License-Identifier: Apache-2.0
// The audit trail with filters (action, actor, patient, period). The filters live in the URL, so
// a filtered view can be reloaded or shared with another administrator.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { AsyncContent, LoadMore } from '@/components/async-content';
import { formatDateTime, localDateTimeToIso } from '@/utils/format';
import { auditQuery, type AuditFilter } from '../api/audit';
import { knownActions } from '../types';
import { actionLabel, outcomeLabel } from './labels';
import { useLocale } from '@/lib/i18n';

const filterKeys = ['action', 'actor_id', 'patient_id', 'from', 'to'] as const;

/** Ids are UUIDv7: the leading characters are a timestamp, the trailing ones tell them apart. */
function shortId(id: string): string {
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}

function filterHref(filter: Partial<Record<(typeof filterKeys)[number], string>>): string {
  return `?${new URLSearchParams(filter).toString()}`;
}

export function AuditTrail() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [params, setParams] = useSearchParams();
  const fromParams = () => Object.fromEntries(filterKeys.map((k) => [k, params.get(k) ?? '']));
  const [draft, setDraft] = useState(fromParams);
  // A filter link changed the address: the form shows what is applied.
  const [draftFor, setDraftFor] = useState(params.toString());
  if (draftFor !== params.toString()) {
    setDraftFor(params.toString());
    setDraft(fromParams());
  }

  const filter: AuditFilter = {};
  for (const k of filterKeys) {
    const v = params.get(k);
    if (!v) continue;
    filter[k] = k === 'from' || k === 'to' ? localDateTimeToIso(v) : v;
  }
  const query = useInfiniteQuery(auditQuery(filter));
  const records = query.data?.pages.flatMap((p) => p.items) ?? [];

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const k of filterKeys) if (draft[k]?.trim()) next.set(k, draft[k].trim());
    setParams(next);
  };
  const input = (k: (typeof filterKeys)[number], label: string, type = 'text') => (
    <div className="field">
      <label htmlFor={`audit-${k}`}>{label}</label>
      <input
        id={`audit-${k}`}
        className="input"
        type={type}
        value={draft[k] ?? ''}
        autoComplete="off"
        onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
      />
    </div>
  );

  return (
    <div className="stack">
      <form className="filters" role="search" onSubmit={apply}>
        <div className="field">
          <label htmlFor="audit-action">{t('audit.action')}</label>
          <select
            id="audit-action"
            className="input"
            value={draft.action ?? ''}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          >
            <option value="">{t('audit.anyAction')}</option>
            {knownActions.map((a) => (
              <option key={a} value={a}>
                {actionLabel(t, a)}
              </option>
            ))}
          </select>
        </div>
        {input('actor_id', t('audit.actorId'))}
        {input('patient_id', t('audit.patientId'))}
        {input('from', t('audit.from'), 'datetime-local')}
        {input('to', t('audit.to'), 'datetime-local')}
        <div className="filters__actions">
          <button type="submit" className="button">
            {t('common.apply')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              setDraft(Object.fromEntries(filterKeys.map((k) => [k, ''])));
              setParams(new URLSearchParams());
            }}
          >
            {t('common.reset')}
          </button>
        </div>
      </form>

      <AsyncContent query={query} isEmpty={records.length === 0} empty={t('audit.empty')}>
        <div className="table-wrap">
          <table className="table table--dense">
            <caption className="visually-hidden">{t('audit.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.resource')}</th>
                <th scope="col">{t('audit.outcome')}</th>
                <th scope="col">{t('audit.detail')}</th>
                <th scope="col">{t('audit.ip')}</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr key={r.seq}>
                  <td>
                    <time dateTime={r.at}>{formatDateTime(r.at, locale)}</time>
                  </td>
                  <td>
                    {r.actor_id && !r.actor_id.includes(':') ? (
                      <Link to={filterHref({ actor_id: r.actor_id })} title={t('audit.filterActor')}>
                        {r.actor_name ?? <code>{shortId(r.actor_id)}</code>}
                      </Link>
                    ) : (
                      (r.actor_name ?? <code>{r.actor_id || t('common.none')}</code>)
                    )}
                    <span className="muted small">
                      {' '}
                      · {t(`roles.${r.actor_role}` as 'roles.admin', { defaultValue: r.actor_role })}
                    </span>
                  </td>
                  <td>{actionLabel(t, r.action)}</td>
                  <td>
                    {r.resource_type}
                    {r.resource_id && (
                      <>
                        {' '}
                        <code className="small" title={r.resource_id}>
                          {shortId(r.resource_id)}
                        </code>
                      </>
                    )}
                    {r.patient_id && (
                      <>
                        {' · '}
                        <Link className="small" to={filterHref({ patient_id: r.patient_id })}>
                          {t('audit.filterPatient')}
                        </Link>
                      </>
                    )}
                  </td>
                  <td>
                    <span className={r.outcome === 'success' ? 'badge badge--ok' : 'badge badge--warning'}>
                      {outcomeLabel(t, r.outcome)}
                    </span>
                  </td>
                  <td>{r.detail || t('common.none')}</td>
                  <td>
                    <code className="small">{r.client_ip}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </AsyncContent>
      <LoadMore query={query} label={t('audit.loadOlder')} />
    </div>
  );
}
