// SPDX-License-Identifier: Apache-2.0
// A patient's signed prescriptions, newest first, filtered by status. A doctor stops or completes
// an active one (with a reason); its content never changes after signature.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { AsyncContent } from '@/components/async-content';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import { errorMessage } from '@/lib/error-message';
import { prescriptionsQuery, useChangePrescriptionStatus } from '../api/records';
import { prescriptionStatuses, type Prescription, type PrescriptionStatus } from '../types';
import { PrescriptionLine } from './prescription-line';

type Change = { prescription: Prescription; status: 'stopped' | 'completed' };

export function PrescriptionsPanel({ patientId, canChange }: { patientId: string; canChange: boolean }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<PrescriptionStatus | 'all'>('active');
  const query = useQuery(prescriptionsQuery(patientId, status));
  const items = query.data ?? [];
  const [change, setChange] = useState<Change | null>(null);

  return (
    <div className="stack">
      <div className="field">
        <label htmlFor="prescription-status">{t('records.prescriptions.statusFilter')}</label>
        <select
          id="prescription-status"
          className="input"
          value={status}
          onChange={(e) => setStatus(e.target.value as PrescriptionStatus | 'all')}
        >
          <option value="all">{t('common.all')}</option>
          {prescriptionStatuses.map((s) => (
            <option key={s} value={s}>
              {t(`records.prescriptions.status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <AsyncContent query={query} isEmpty={items.length === 0} empty={t('records.prescriptions.empty')}>
        <ul className="card-list">
          {items.map((p) => (
            <li key={p.id} className="card">
              <PrescriptionLine prescription={p} />
              {p.status !== 'active' && p.status_reason && (
                <p className="muted small">{t('records.prescriptions.reasonShown', { reason: p.status_reason })}</p>
              )}
              {canChange && p.status === 'active' && (
                <div className="form__actions">
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    onClick={() => setChange({ prescription: p, status: 'stopped' })}
                  >
                    {t('records.prescriptions.stop')}
                  </button>
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    onClick={() => setChange({ prescription: p, status: 'completed' })}
                  >
                    {t('records.prescriptions.complete')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      </AsyncContent>
      {change && <StatusDialog patientId={patientId} change={change} onClose={() => setChange(null)} />}
    </div>
  );
}

function StatusDialog({ patientId, change, onClose }: { patientId: string; change: Change; onClose: () => void }) {
  const { t } = useTranslation();
  const mutation = useChangePrescriptionStatus(patientId);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    try {
      await mutation.mutateAsync({
        id: change.prescription.id,
        version: change.prescription.version,
        status: change.status,
        reason: reason.trim() || undefined,
      });
      toast.success(t('records.prescriptions.changed'));
      onClose();
    } catch (e) {
      setError(errorMessage(t, e));
    }
  };
  return (
    <ConfirmDialog
      open
      title={t(
        change.status === 'stopped' ? 'records.prescriptions.stopTitle' : 'records.prescriptions.completeTitle',
        {
          drug: change.prescription.drug,
        },
      )}
      confirmLabel={t(change.status === 'stopped' ? 'records.prescriptions.stop' : 'records.prescriptions.complete')}
      busy={mutation.isPending}
      error={error}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <Field label={t('records.prescriptions.reason')} optional>
        <input className="input" value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
    </ConfirmDialog>
  );
}
