// SPDX-License-Identifier: Apache-2.0
// Route guards: a session is required (else the sign-in screen, coming back here afterwards);
// an account that must enrol a second factor goes to enrolment; a role only reaches its screens.
import { Navigate, Outlet, useLocation } from 'react-router';
import { ErrorState } from '@/components/errors/error-state';
import { Forbidden } from '@/components/errors/forbidden';
import { Spinner } from '@/components/ui/spinner';
import { isApiError } from '@/lib/api-error';
import { useUser } from '@/lib/auth';
import { can, type Permission } from '@/lib/authorization';
import { useSession } from '@/lib/session';
import { AppShell } from './app-shell';

export function RequireAuth() {
  const me = useUser();
  const { enrolmentRequired } = useSession();
  const location = useLocation();

  if (me.data) {
    if (enrolmentRequired) return <Navigate to="/enrol" replace />;
    return <AppShell user={me.data} />;
  }
  if (me.isPending) {
    return (
      <div className="page-center">
        <Spinner />
      </div>
    );
  }
  if (isApiError(me.error) && me.error.isUnauthenticated) {
    const next = location.pathname === '/' ? '' : `?next=${encodeURIComponent(location.pathname + location.search)}`;
    return <Navigate to={`/sign-in${next}`} replace />;
  }
  return (
    <div className="page-center">
      <ErrorState error={me.error} onRetry={() => void me.refetch()} />
    </div>
  );
}

export function RequireRole({ permission }: { permission: Permission }) {
  const { data: user } = useUser();
  return can(user?.role, permission) ? <Outlet /> : <Forbidden />;
}
