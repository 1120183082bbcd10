// SPDX-License-Identifier: Apache-2.0
// Starts an invoice (a draft): the patient (found by the search the app passes in), the
// practitioner whose acts these are, the date of service and the acts from the catalogue.
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { isApiError } from '@/lib/api-error';
import { errorMessage, fieldErrorMessage } from '@/lib/error-message';
import { todayIso } from '@/utils/format';
import { practitionersQuery, useCreateInvoice } from '../api/billing';
import { InvoiceLinesEditor, lineErrors, toLineInputs, type LineDraft } from './invoice-lines-editor';

export type PatientPicker = (props: { onChange: (patientId: string) => void; error?: string | undefined }) => ReactNode;

export function NewInvoice({
  patientPicker,
  onCreated,
}: {
  patientPicker: PatientPicker;
  onCreated: (id: string) => void;
}) {
  const { t } = useTranslation();
  const practitioners = useQuery(practitionersQuery);
  const create = useCreateInvoice();
  const [patientId, setPatientId] = useState('');
  const [practitionerId, setPractitionerId] = useState('');
  const [serviceDate, setServiceDate] = useState(todayIso());
  const [lines, setLines] = useState<LineDraft[]>([]);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [lineMessages, setLineMessages] = useState<(string | undefined)[]>([]);
  const [formError, setFormError] = useState<string | null>(null);

  const submit = async () => {
    const next: Record<string, string | undefined> = {};
    if (!patientId) next.patient = t('billing.newInvoice.patientRequired');
    if (!practitionerId) next.practitioner = t('validation.required');
    if (!serviceDate) next.service_date = t('validation.required');
    if (lines.length === 0) next.lines = t('billing.lines.atLeastOne');
    const perLine = lineErrors(lines, t);
    setErrors(next);
    setLineMessages(perLine);
    setFormError(null);
    if (Object.values(next).some(Boolean) || perLine.some(Boolean)) {
      setFormError(t('errors.formErrors'));
      return;
    }
    try {
      const invoice = await create.mutateAsync({
        patient_id: patientId,
        practitioner_id: practitionerId,
        service_date: serviceDate,
        lines: toLineInputs(lines),
      });
      toast.success(t('billing.newInvoice.created'));
      onCreated(invoice.id);
    } catch (e) {
      if (!isApiError(e)) throw e;
      const server: Record<string, string | undefined> = {};
      const perLineServer = [...perLine];
      for (const fe of e.fieldErrors) {
        const m = /^\/?lines\/(\d+)/.exec(fe.field);
        if (m) perLineServer[Number(m[1])] = fieldErrorMessage(t, fe);
        else server[fe.field.replace(/^\//, '')] = fieldErrorMessage(t, fe);
      }
      setErrors({
        patient: server.patient_id,
        practitioner: server.practitioner_id,
        service_date: server.service_date,
      });
      setLineMessages(perLineServer);
      setFormError(errorMessage(t, e));
    }
  };

  return (
    <form
      className="form"
      noValidate
      aria-label={t('billing.newInvoice.title')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {formError && <Alert tone="error">{formError}</Alert>}
      {patientPicker({ onChange: setPatientId, error: errors.patient })}
      <div className="grid">
        <Field label={t('billing.invoices.practitioner')} error={errors.practitioner} required>
          <select className="input" value={practitionerId} onChange={(e) => setPractitionerId(e.target.value)}>
            <option value="">{practitioners.isPending ? t('common.loading') : t('billing.newInvoice.choose')}</option>
            {(practitioners.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.display_name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('billing.invoices.serviceDate')} error={errors.service_date} required>
          <input type="date" className="input" value={serviceDate} onChange={(e) => setServiceDate(e.target.value)} />
        </Field>
      </div>
      <InvoiceLinesEditor lines={lines} onChange={setLines} errors={lineMessages} />
      {errors.lines && <p className="field__error">{errors.lines}</p>}
      <div className="form__actions">
        <button type="submit" className="button" disabled={create.isPending}>
          {create.isPending ? t('common.saving') : t('billing.newInvoice.create')}
        </button>
      </div>
    </form>
  );
}
