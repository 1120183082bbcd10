// SPDX-License-Identifier: Apache-2.0
// Which role reaches which screen. The server decides what each request may do; this policy only
// keeps screens a role cannot use out of its navigation and behind route guards.
import type { Role } from './auth';

export const policies = {
  'patients:search': ['doctor', 'nurse', 'secretary'],
  'patients:register': ['doctor', 'nurse', 'secretary'],
  'patients:edit': ['doctor', 'nurse', 'secretary'],
  'patients:pick': ['admin', 'doctor', 'nurse', 'secretary'],
  'clinical:read': ['doctor', 'nurse'],
  'clinical:notes': ['doctor'],
  'users:manage': ['admin'],
  'audit:read': ['admin'],
  'portal:use': ['patient'],
  'billing:use': ['accountant', 'admin'],
  'payments:void': ['admin'],
  'acts:manage': ['admin'],
  'appointments:calendar': ['doctor', 'nurse', 'secretary'],
  'appointments:day': ['doctor'],
  'appointments:schedules': ['admin', 'doctor', 'secretary'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof policies;

export function can(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && (policies[permission] as readonly Role[]).includes(role);
}

/** Where a role lands after signing in. */
export function homePath(role: Role): string {
  switch (role) {
    case 'admin':
      return '/admin/users';
    case 'doctor':
      return '/my-day';
    case 'nurse':
    case 'secretary':
      return '/patients';
    case 'patient':
      return '/portal';
    case 'accountant':
      return '/billing';
  }
}
