// SPDX-License-Identifier: Apache-2.0
// Application-wide providers: translations, the in-memory query cache, toasts, and the wiring
// between the API client and the session (re-sign-in, forced enrolment, other tabs).
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { Toaster } from 'sonner';
import { setSessionHooks } from '@/lib/api-client';
import { forgetSession } from '@/lib/auth';
import { initI18n } from '@/lib/i18n';
import { createQueryClient } from '@/lib/query-client';
import { session } from '@/lib/session';
import { subscribeSessionEvents } from '@/lib/session-events';

const i18n = initI18n();

export function AppProvider({ children, queryClient }: { children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());

  useEffect(() => {
    setSessionHooks({
      onSessionExpired: () => session.waitForReauthentication(),
      onEnrolmentRequired: () => session.enrolmentRequired(),
    });
    const unsubscribe = subscribeSessionEvents((event) => {
      const mine = session.get().userId;
      if (event.type === 'signed-out' || (event.type === 'signed-in' && mine && event.userId !== mine)) {
        // Another tab signed out, or signed in as someone else: this tab's data is not theirs.
        forgetSession(client);
        window.location.assign('/sign-in');
      } else if (event.type === 'signed-in' && session.get().expired && event.userId === mine) {
        // Signed in again in another tab: the cookies are fresh for this tab too.
        session.reauthenticated();
        void client.invalidateQueries();
      }
    });
    return () => {
      unsubscribe();
      setSessionHooks(null);
    };
  }, [client]);

  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        {children}
        <Toaster position="bottom-right" richColors closeButton toastOptions={{ duration: 6000 }} />
      </QueryClientProvider>
    </I18nextProvider>
  );
}
