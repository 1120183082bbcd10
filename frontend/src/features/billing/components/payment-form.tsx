// SPDX-License-Identifier: Apache-2.0
// Records a payment on an issued invoice: method, amount (the balance due by default, less for a
// partial payment), date and reference. An amount above the balance is refused by the server
// (409): its message is shown next to the amount.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { isApiError } from '@/lib/api-error';
import { errorMessage, fieldErrorMessage } from '@/lib/error-message';
import { useLocale } from '@/lib/i18n';
import { todayIso } from '@/utils/format';
import { billingKeys, useRecordPayment } from '../api/billing';
import { centsToInput, formatMoney, parseEuros, paymentMethods, type Invoice, type PaymentMethod } from '../types';

export function PaymentForm({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const queryClient = useQueryClient();
  const record = useRecordPayment(invoice.id);
  const [method, setMethod] = useState<PaymentMethod>('card');
  const [amount, setAmount] = useState(centsToInput(invoice.balance_due_cents));
  const [paidOn, setPaidOn] = useState(todayIso());
  const [reference, setReference] = useState('');
  const [errors, setErrors] = useState<{ amount?: string; paid_on?: string; form?: string }>({});

  const submit = async () => {
    const cents = parseEuros(amount);
    if (cents === null || cents <= 0) {
      setErrors({ amount: t('billing.payments.badAmount') });
      return;
    }
    setErrors({});
    try {
      const r = await record.mutateAsync({
        method,
        amount_cents: cents,
        paid_on: paidOn,
        ...(reference.trim() ? { reference: reference.trim() } : {}),
      });
      toast.success(
        t('billing.payments.recorded', {
          amount: formatMoney(cents, locale),
          balance: formatMoney(r.invoice.balance_due_cents, locale),
        }),
      );
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.code === 'payment.exceeds_balance') {
        // Refused against the balance the server holds now; the invoice is read again, so the
        // balance shown is that one (another payment may have been recorded meanwhile).
        setErrors({
          amount: t('billing.payments.exceedsBalance', { balance: formatMoney(invoice.balance_due_cents, locale) }),
        });
        void queryClient.invalidateQueries({ queryKey: billingKeys.invoice(invoice.id) });
        return;
      }
      if (e.status === 409) {
        setErrors({ amount: [errorMessage(t, e), e.detail].filter(Boolean).join(' — ') });
        return;
      }
      const next: typeof errors = {};
      for (const fe of e.fieldErrors) {
        const f = fe.field.replace(/^\//, '');
        if (f === 'amount_cents') next.amount = fieldErrorMessage(t, fe);
        else if (f === 'paid_on') next.paid_on = fieldErrorMessage(t, fe);
      }
      if (!next.amount && !next.paid_on) next.form = errorMessage(t, e);
      setErrors(next);
    }
  };

  return (
    <form
      className="form"
      noValidate
      aria-label={t('billing.payments.formTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h4>{t('billing.payments.formTitle')}</h4>
      {errors.form && <Alert tone="error">{errors.form}</Alert>}
      <div className="grid">
        <Field label={t('billing.payments.method')} required>
          <select className="input" value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)}>
            {paymentMethods.map((m) => (
              <option key={m} value={m}>
                {t(`billing.methods.${m}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={t('billing.payments.amount')}
          hint={t('billing.payments.balanceHint', { balance: formatMoney(invoice.balance_due_cents, locale) })}
          error={errors.amount}
          required
        >
          <input
            className="input input--number"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
        </Field>
        <Field label={t('billing.payments.paidOn')} error={errors.paid_on} required>
          <input type="date" className="input" value={paidOn} onChange={(e) => setPaidOn(e.target.value)} />
        </Field>
        <Field label={t('billing.payments.reference')} optional>
          <input className="input" maxLength={100} value={reference} onChange={(e) => setReference(e.target.value)} />
        </Field>
      </div>
      <div className="form__actions">
        <button type="submit" className="button" disabled={record.isPending}>
          {record.isPending ? t('common.saving') : t('billing.payments.record')}
        </button>
      </div>
    </form>
  );
}
