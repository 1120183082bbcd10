// SPDX-License-Identifier: Apache-2.0
// Audit types, from the generated OpenAPI schema.
import type { components } from '@/types/openapi.gen';

export type AuditRecord = components['schemas']['AuditRecord'];
export type AccessLogEntry = components['schemas']['AccessLogEntry'];

/** The actions the server records today, offered as a filter. */
export const knownActions = [
  'patient.read',
  'patient.search',
  'patient.create',
  'patient.update',
  'patient.archive',
  'patient.access_log.read',
  'auth.login',
  'auth.logout',
  'auth.refresh',
  'auth.password_change',
  'auth.totp_enrol',
  'auth.totp_disable',
  'user.create',
  'user.update',
  'user.read',
  'user.list',
  'audit.search',
] as const;
