// SPDX-License-Identifier: Apache-2.0
// A doctor's calendar feed (.ics) for their own calendar application: a secret link, shown once
// when created (a new one retires the old), and a way to turn the feed off. The feed carries the
// patients' initials only, but its address is a bearer secret: it is never shown again.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { CopyButton } from '@/components/ui/copy-button';
import { errorMessage } from '@/lib/error-message';
import { useCreateCalendarLink, useDisableCalendarFeed } from '../../api/schedules';

export function CalendarFeedPanel({
  practitionerId,
  canCreate,
  canDisable,
}: {
  practitionerId: string;
  /** Only the doctor themself creates their link. */
  canCreate: boolean;
  canDisable: boolean;
}) {
  const { t } = useTranslation();
  const create = useCreateCalendarLink(practitionerId);
  const disable = useDisableCalendarFeed(practitionerId);
  const [link, setLink] = useState<string | null>(null);

  return (
    <div className="stack">
      <p className="muted">{t('appointments.schedule.feedIntro')}</p>
      {link && (
        <Alert tone="success" title={t('appointments.schedule.feedCreated')}>
          <p>
            <code className="feed-link">{link}</code>
          </p>
          <CopyButton value={link} label={t('appointments.schedule.copyLink')} />
        </Alert>
      )}
      {(create.isError || disable.isError) && (
        <Alert tone="error">{errorMessage(t, create.error ?? disable.error)}</Alert>
      )}
      <div className="button-row">
        {canCreate && (
          <button
            type="button"
            className="button"
            disabled={create.isPending}
            onClick={() =>
              create.mutate(undefined, {
                onSuccess: (r) => setLink(r.url ?? new URL(r.path, window.location.origin).toString()),
              })
            }
          >
            {t('appointments.schedule.feedCreate')}
          </button>
        )}
        {canDisable && (
          <button
            type="button"
            className="button button--secondary"
            disabled={disable.isPending}
            onClick={() =>
              disable.mutate(undefined, {
                onSuccess: () => {
                  setLink(null);
                  toast.success(t('appointments.schedule.feedDisabled'));
                },
              })
            }
          >
            {t('appointments.schedule.feedDisable')}
          </button>
        )}
      </div>
    </div>
  );
}
