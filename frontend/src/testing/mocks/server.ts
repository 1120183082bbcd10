// SPDX-License-Identifier: Apache-2.0
// The MSW server for unit tests, with every feature's handlers.
import { setupServer } from 'msw/node';
import { appointmentsHandlers } from './handlers/appointments';
import { auditHandlers } from './handlers/audit';
import { billingHandlers } from './handlers/billing';
import { documentsHandlers } from './handlers/documents';
import { identityHandlers } from './handlers/identity';
import { notificationsHandlers } from './handlers/notifications';
import { patientsHandlers } from './handlers/patients';
import { recordsHandlers } from './handlers/records';

export const server = setupServer(
  ...identityHandlers,
  ...patientsHandlers,
  ...auditHandlers,
  ...recordsHandlers,
  ...documentsHandlers,
  ...billingHandlers,
  ...appointmentsHandlers,
  ...notificationsHandlers,
);
