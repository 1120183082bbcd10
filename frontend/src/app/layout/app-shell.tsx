// SPDX-License-Identifier: Apache-2.0
// The frame of every signed-in screen: skip link, header (user, language, sign-out), the role's
// navigation, the screen, and the re-sign-in dialog for sessions that end under an open screen.
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { LanguageSwitch } from '@/components/language-switch';
import { ReauthDialog } from '@/features/identity/components/reauth-dialog';
import { signOut, type User } from '@/lib/auth';
import { can, type Permission } from '@/lib/authorization';
import { NotificationArea } from './notification-area';

type NavItem = { to: string; label: string; permission?: Permission; end?: boolean };

export function AppShell({ user }: { user: User }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const items: NavItem[] = [
    { to: '/my-day', label: t('appointments.nav.myDay'), permission: 'appointments:day' },
    { to: '/calendar', label: t('appointments.nav.calendar'), permission: 'appointments:calendar' },
    { to: '/patients', label: t('nav.patients'), permission: 'patients:search', end: true },
    { to: '/patients/new', label: t('nav.newPatient'), permission: 'patients:register' },
    { to: '/schedules', label: t('appointments.nav.schedules'), permission: 'appointments:schedules' },
    { to: '/admin/users', label: t('nav.users'), permission: 'users:manage' },
    { to: '/admin/audit', label: t('nav.audit'), permission: 'audit:read' },
    { to: '/admin/export', label: t('notifications.jobs.exportNav'), permission: 'users:manage' },
    { to: '/portal', label: t('nav.portal'), permission: 'portal:use', end: true },
    { to: '/portal/appointments', label: t('appointments.nav.portalAppointments'), permission: 'portal:use' },
    { to: '/portal/records', label: t('portalClinical.nav.records'), permission: 'portal:use' },
    { to: '/portal/documents', label: t('portalClinical.nav.documents'), permission: 'portal:use' },
    { to: '/portal/invoices', label: t('portalClinical.nav.invoices'), permission: 'portal:use' },
    { to: '/portal/access-log', label: t('nav.accessLog'), permission: 'portal:use' },
    { to: '/portal/export', label: t('notifications.jobs.exportNav'), permission: 'portal:use' },
    { to: '/billing', label: t('billing.nav.invoices'), permission: 'billing:use', end: true },
    { to: '/billing/stats', label: t('billing.nav.stats'), permission: 'billing:use' },
    { to: '/admin/acts', label: t('billing.nav.acts'), permission: 'acts:manage' },
    { to: '/account', label: t('nav.account') },
  ];
  const visible = items.filter((i) => !i.permission || can(user.role, i.permission));

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="shell__header">
        <NavLink to="/" className="brand">
          <span className="brand__mark" aria-hidden="true">
            +
          </span>
          {t('common.appName')}
        </NavLink>
        <div className="shell__user">
          <span className="shell__who" data-testid="signed-in-as">
            {t('nav.signedInAs', { name: user.display_name, role: t(`roles.${user.role}`) })}
          </span>
          <NotificationArea user={user} />
          <LanguageSwitch />
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => void signOut(queryClient).then(() => navigate('/sign-in', { replace: true }))}
          >
            {t('common.signOut')}
          </button>
        </div>
      </header>
      <nav className="shell__nav" aria-label={t('nav.main')}>
        <ul>
          {visible.map((i) => (
            <li key={i.to}>
              <NavLink to={i.to} end={i.end} className="nav-link">
                {i.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="shell__main" tabIndex={-1}>
        <Outlet />
      </main>
      <ReauthDialog onOtherUser={() => window.location.assign('/')} />
    </div>
  );
}
