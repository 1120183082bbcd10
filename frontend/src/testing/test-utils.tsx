// SPDX-License-Identifier: Apache-2.0
// Renders a component the way the application does: translations, a fresh in-memory query
// cache, and a router at the given address (with extra routes to assert navigation).
import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import { Toaster } from 'sonner';
import { createMemoryRouter, RouterProvider, useLocation, type RouteObject } from 'react-router';
import { i18n } from '@/lib/i18n';
import { createQueryClient } from '@/lib/query-client';

/** Shows the current address, for assertions on navigation. */
export function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

export function renderApp(
  ui: ReactElement,
  { path = '/', at = '/', routes = [] }: { path?: string; at?: string; routes?: RouteObject[] } = {},
) {
  const queryClient = createQueryClient();
  const router = createMemoryRouter(
    [
      {
        path,
        element: (
          <>
            {ui}
            <LocationProbe />
          </>
        ),
      },
      ...routes,
      { path: '*', element: <LocationProbe /> },
    ],
    { initialEntries: [at] },
  );
  const user = userEvent.setup();
  const result = render(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
        <Toaster />
      </QueryClientProvider>
    </I18nextProvider>,
  );
  return { ...result, user, queryClient, router };
}
