// SPDX-License-Identifier: Apache-2.0
// A patient cancels one of their appointments: a confirmation naming it, an optional reason, and
// the server's refusal in words when the notice period has passed ("call the practice").
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Dialog } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { useLocale } from '@/lib/i18n';
import { formatZonedDateTime } from '@/utils/time-zone';
import { useCancelAppointment } from '../api/appointments';
import type { ListedAppointment } from '../types';
import { appointmentErrorMessage } from './messages';

export function PortalCancel({ appointment: a, timeZone }: { appointment: ListedAppointment; timeZone: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const cancel = useCancelAppointment();
  if (a.status !== 'booked') return null;
  const when = formatZonedDateTime(a.start, locale, timeZone);

  const confirm = async () => {
    setError(null);
    try {
      await cancel.mutateAsync({ appointment: a, reason: reason.trim() });
      toast.success(t('appointments.done.cancelled'));
      setOpen(false);
    } catch (e) {
      setError(appointmentErrorMessage(t, e));
    }
  };

  return (
    <>
      <button type="button" className="button button--secondary button--small" onClick={() => setOpen(true)}>
        {t('appointments.portal.cancel')}
        <span className="visually-hidden"> {when}</span>
      </button>
      <Dialog open={open} title={t('appointments.cancel.title')} onClose={() => setOpen(false)}>
        <div className="stack">
          <p>{t('appointments.portal.cancelConfirm', { when })}</p>
          {error && <Alert tone="error">{error}</Alert>}
          <Field label={t('appointments.portal.cancelReason')}>
            <textarea
              className="input"
              rows={2}
              maxLength={200}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </Field>
          <div className="button-row">
            <button
              type="button"
              className="button button--danger"
              disabled={cancel.isPending}
              onClick={() => void confirm()}
            >
              {t('appointments.portal.confirmCancel')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
              {t('appointments.portal.keep')}
            </button>
          </div>
        </div>
      </Dialog>
    </>
  );
}
