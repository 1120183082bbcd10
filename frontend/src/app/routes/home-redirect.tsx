// SPDX-License-Identifier: Apache-2.0
// "/" sends each role to its main screen.
import { Navigate } from 'react-router';
import { useUser } from '@/lib/auth';
import { homePath } from '@/lib/authorization';

export function HomeRedirect() {
  const { data: user } = useUser();
  return user ? <Navigate to={homePath(user.role)} replace /> : null;
}
