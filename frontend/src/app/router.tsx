// SPDX-License-Identifier: Apache-2.0
// The route table. Every signed-in screen sits behind RequireAuth; each role's screens behind
// RequireRole, so a role that opens another role's address gets "access denied" (the server
// refuses the data anyway). Screens are loaded on demand.
import type { RouteObject } from 'react-router';
import { lazyRoute } from './layout/lazy-route';
import { RequireAuth, RequireRole } from './layout/guards';
import { HomeRedirect } from './routes/home-redirect';
import { NotFoundRoute } from './routes/not-found';
import { SignInRoute } from './routes/sign-in';

const Patients = lazyRoute(() => import('./routes/patients'));
const Admin = lazyRoute(() => import('./routes/admin'));
const Portal = lazyRoute(() => import('./routes/portal'));
const Account = lazyRoute(() => import('./routes/account'));
const Billing = lazyRoute(() => import('./routes/billing'));
const Appointments = lazyRoute(() => import('./routes/appointments'));
const Exports = lazyRoute(() => import('./routes/exports'));

export const routes: RouteObject[] = [
  { path: '/sign-in', element: <SignInRoute /> },
  { path: '/enrol', element: <Account.ForcedEnrolment /> },
  {
    path: '/',
    element: <RequireAuth />,
    children: [
      { index: true, element: <HomeRedirect /> },
      {
        element: <RequireRole permission="patients:search" />,
        children: [
          { path: 'patients', element: <Patients.PatientSearchRoute /> },
          {
            path: 'patients/:patientId',
            element: <Patients.PatientChartRoute />,
            children: [
              { index: true, element: <Patients.ChartSummary /> },
              { path: 'appointments', element: <Appointments.ChartAppointmentsTab /> },
              { path: ':tab', element: <Patients.ChartTab /> },
              { path: 'encounters/new', element: <Patients.NewEncounterRoute /> },
              { path: 'encounters/:encounterId', element: <Patients.EncounterRoute /> },
              { path: 'invoices/:invoiceId', element: <Patients.ChartInvoiceRoute /> },
            ],
          },
        ],
      },
      {
        element: <RequireRole permission="patients:register" />,
        children: [{ path: 'patients/new', element: <Patients.RegisterPatientRoute /> }],
      },
      {
        element: <RequireRole permission="patients:edit" />,
        children: [{ path: 'patients/:patientId/edit', element: <Patients.EditPatientRoute /> }],
      },
      {
        element: <RequireRole permission="users:manage" />,
        children: [
          { path: 'admin/users', element: <Admin.UsersRoute /> },
          { path: 'admin/users/new', element: <Admin.NewUserRoute /> },
          { path: 'admin/users/:userId', element: <Admin.UserRoute /> },
        ],
      },
      {
        element: <RequireRole permission="audit:read" />,
        children: [{ path: 'admin/audit', element: <Admin.AuditRoute /> }],
      },
      {
        element: <RequireRole permission="acts:manage" />,
        children: [{ path: 'admin/acts', element: <Billing.ActCatalogueRoute /> }],
      },
      {
        element: <RequireRole permission="portal:use" />,
        children: [
          { path: 'portal', element: <Portal.PortalRoute /> },
          { path: 'portal/contact', element: <Portal.PortalContactRoute /> },
          { path: 'portal/access-log', element: <Portal.PortalAccessLogRoute /> },
          { path: 'portal/records', element: <Portal.PortalRecordsRoute /> },
          { path: 'portal/records/:encounterId', element: <Portal.PortalEncounterRoute /> },
          { path: 'portal/documents', element: <Portal.PortalDocumentsRoute /> },
          { path: 'portal/invoices', element: <Portal.PortalInvoicesRoute /> },
          { path: 'portal/invoices/:invoiceId', element: <Portal.PortalInvoiceRoute /> },
        ],
      },
      {
        element: <RequireRole permission="billing:use" />,
        children: [
          { path: 'billing', element: <Billing.BillingRoute /> },
          { path: 'billing/invoices/new', element: <Billing.NewInvoiceRoute /> },
          { path: 'billing/invoices/:invoiceId', element: <Billing.InvoiceRoute /> },
          { path: 'billing/stats', element: <Billing.StatsRoute /> },
        ],
      },
      {
        element: <RequireRole permission="appointments:calendar" />,
        children: [{ path: 'calendar', element: <Appointments.CalendarRoute /> }],
      },
      {
        element: <RequireRole permission="appointments:day" />,
        children: [{ path: 'my-day', element: <Appointments.MyDayRoute /> }],
      },
      {
        element: <RequireRole permission="appointments:schedules" />,
        children: [{ path: 'schedules', element: <Appointments.SchedulesRoute /> }],
      },
      {
        element: <RequireRole permission="portal:use" />,
        children: [{ path: 'portal/appointments', element: <Appointments.PortalAppointmentsRoute /> }],
      },
      {
        element: <RequireRole permission="portal:use" />,
        children: [{ path: 'portal/export', element: <Exports.PortalExportRoute /> }],
      },
      {
        element: <RequireRole permission="users:manage" />,
        children: [{ path: 'admin/export', element: <Exports.AdminExportRoute /> }],
      },
      { path: 'account', element: <Account.AccountRoute /> },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];
