// SPDX-License-Identifier: Apache-2.0
// Shown over the current screen when the session ended and could not be refreshed: the screen
// (and whatever was being typed) stays mounted; signing in again replays the waiting requests.
// If another account signs in, everything of the previous one is dropped.
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Dialog } from '@/components/ui/dialog';
import { signOut, useUser } from '@/lib/auth';
import { session, useSession } from '@/lib/session';
import { SignInForm } from './sign-in-form';

export function ReauthDialog({ onOtherUser }: { onOtherUser: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { expired, userId } = useSession();
  const { data: user } = useUser();

  return (
    <Dialog open={expired} title={t('auth.expiredTitle')} onClose={() => {}} dismissible={false}>
      <p>{t('auth.expiredBody')}</p>
      <SignInForm
        defaultEmail={user?.email ?? ''}
        onSignedIn={(signIn) => {
          if (signIn.user.id === userId) {
            session.reauthenticated();
            void queryClient.invalidateQueries();
          } else {
            session.ended();
            toast.info(t('auth.expiredOtherUser'));
            onOtherUser();
          }
        }}
      />
      <div className="form__actions">
        <button
          type="button"
          className="button button--link"
          onClick={() => void signOut(queryClient).then(onOtherUser)}
        >
          {t('auth.signOutInstead')}
        </button>
      </div>
    </Dialog>
  );
}
