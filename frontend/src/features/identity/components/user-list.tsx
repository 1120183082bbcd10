// SPDX-License-Identifier: Apache-2.0
// User accounts with filters (role, status, e-mail prefix) and "show more" paging.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AsyncContent, LoadMore } from '@/components/async-content';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { usersListQuery, type UserFilter } from '../api/users';
import { roles, type Role } from '../types';

export function UserList() {
  const { t } = useTranslation();
  const [role, setRole] = useState<Role | ''>('');
  const [status, setStatus] = useState<'' | 'active' | 'inactive'>('');
  const [email, setEmail] = useState('');
  const debouncedEmail = useDebouncedValue(email.trim(), 250);
  const filter: UserFilter = {
    role: role || undefined,
    active: status === '' ? undefined : status === 'active',
    email: debouncedEmail || undefined,
  };
  const query = useInfiniteQuery(usersListQuery(filter));
  const users = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="stack">
      <div className="filters" role="search">
        <div className="field">
          <label htmlFor="users-role">{t('users.filterRole')}</label>
          <select id="users-role" className="input" value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
            <option value="">{t('common.all')}</option>
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="users-status">{t('users.filterStatus')}</label>
          <select
            id="users-status"
            className="input"
            value={status}
            onChange={(e) => setStatus(e.target.value as typeof status)}
          >
            <option value="">{t('common.all')}</option>
            <option value="active">{t('users.active')}</option>
            <option value="inactive">{t('users.inactive')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="users-email">{t('users.filterEmail')}</label>
          <input
            id="users-email"
            className="input"
            type="search"
            value={email}
            autoComplete="off"
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
      </div>

      <AsyncContent query={query} isEmpty={users.length === 0} empty={t('users.empty')}>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('users.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('users.name')}</th>
                <th scope="col">{t('users.email')}</th>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('users.status')}</th>
                <th scope="col">{t('users.totp')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>
                    <Link to={`/admin/users/${u.id}`}>{u.display_name}</Link>
                  </td>
                  <td>{u.email}</td>
                  <td>{t(`roles.${u.role}`)}</td>
                  <td>
                    <span className={u.active ? 'badge badge--ok' : 'badge badge--muted'}>
                      {u.active ? t('users.active') : t('users.inactive')}
                    </span>
                  </td>
                  <td>{u.totp_enabled ? t('account.totpOn') : t('account.totpOff')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </AsyncContent>
      <LoadMore query={query} label={t('common.loadMore')} />
    </div>
  );
}
