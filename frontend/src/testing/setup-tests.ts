// SPDX-License-Identifier: Apache-2.0
// Vitest set-up: DOM matchers, the MSW server (unhandled requests fail the test), translations.
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { resetRefreshStateForTest, setSessionHooks } from '@/lib/api-client';
import { initI18n } from '@/lib/i18n';
import { session } from '@/lib/session';
import { resetDb } from './mocks/db';
import { resetBilling } from './mocks/handlers/billing';
import { resetDocuments } from './mocks/handlers/documents';
import { resetRecords } from './mocks/handlers/records';
import { resetAppointments } from './mocks/handlers/appointments';
import { resetNotifications } from './mocks/handlers/notifications';
import { server } from './mocks/server';

initI18n('en');

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  resetDb();
  resetRecords();
  resetDocuments();
  resetBilling();
  resetAppointments();
  resetNotifications();
  resetRefreshStateForTest();
  setSessionHooks(null);
  session.ended();
});
afterAll(() => server.close());
