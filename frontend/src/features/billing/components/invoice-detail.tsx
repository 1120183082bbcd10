// SPDX-License-Identifier: Apache-2.0
// One invoice or credit note: its lines, VAT breakdown, totals and payments, and what may be done
// in its state — a draft's lines changed (If-Match) then issued or deleted; an issued invoice paid
// (partly or fully; an over-payment is refused with the server's message) or cancelled by a
// credit note; a payment recorded by mistake voided with a reason (administrators); the PDF of any
// numbered document.
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { ConflictAlert } from '@/components/conflict-alert';
import { ErrorState } from '@/components/errors/error-state';
import { Alert } from '@/components/ui/alert';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { isApiError } from '@/lib/api-error';
import { errorMessage, fieldErrorMessage, toastError } from '@/lib/error-message';
import { useLocale } from '@/lib/i18n';
import { formatDate, formatDateTime } from '@/utils/format';
import {
  downloadInvoicePdf,
  invoiceQuery,
  useCancelInvoice,
  useDeleteInvoice,
  useIssueInvoice,
  useUpdateInvoiceLines,
  useVoidPayment,
  type InvoiceWithEtag,
} from '../api/billing';
import { centsToInput, formatMoney, formatRate, type Invoice, type Payment } from '../types';
import { InvoiceLinesEditor, lineErrors, toLineInputs, type LineDraft } from './invoice-lines-editor';
import { PaymentForm } from './payment-form';
import { StatusBadge } from './status-badge';

export function InvoiceDetail({
  invoiceId,
  canManage,
  canPay,
  canVoid = false,
  invoiceHref,
  onDeleted,
}: {
  invoiceId: string;
  /** Issue, delete drafts, change lines (accountants, administrators, the doctor for own acts). */
  canManage: boolean;
  /** Payments and credit notes (accountants, administrators). */
  canPay: boolean;
  /** Void a payment recorded by mistake (administrators). */
  canVoid?: boolean;
  invoiceHref: (id: string) => string;
  onDeleted: () => void;
}) {
  const query = useQuery(invoiceQuery(invoiceId));
  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <InvoiceView
      key={query.data.invoice.version}
      data={query.data}
      canManage={canManage}
      canPay={canPay}
      canVoid={canVoid}
      invoiceHref={invoiceHref}
      onDeleted={onDeleted}
      onReload={() => void query.refetch()}
    />
  );
}

function InvoiceView({
  data: { invoice: inv, etag },
  canManage,
  canPay,
  canVoid,
  invoiceHref,
  onDeleted,
  onReload,
}: {
  data: InvoiceWithEtag;
  canManage: boolean;
  canPay: boolean;
  canVoid: boolean;
  invoiceHref: (id: string) => string;
  onDeleted: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [printing, setPrinting] = useState(false);
  const [voiding, setVoiding] = useState<Payment | null>(null);
  const isDraft = inv.status === 'draft';
  const payable = inv.kind === 'invoice' && (inv.status === 'issued' || inv.status === 'partially_paid');
  const activePayments = inv.payments.filter((p) => !p.voided);
  const print = async () => {
    setPrinting(true);
    try {
      await downloadInvoicePdf(inv.id, inv.number);
    } catch (e) {
      toastError(t, e);
    } finally {
      setPrinting(false);
    }
  };

  return (
    <div className="stack">
      <section className="card" aria-labelledby="invoice-title">
        <h2 id="invoice-title">
          {t(`billing.kind.${inv.kind}`)} {inv.number ?? t('billing.invoices.draftNumber')}{' '}
          <StatusBadge status={inv.status} />
        </h2>
        <dl className="details">
          <div className="details__row">
            <dt>{t('billing.invoices.patient')}</dt>
            <dd>
              {inv.patient_name ?? t('common.none')} {inv.patient_mrn && <code>{inv.patient_mrn}</code>}
            </dd>
          </div>
          <div className="details__row">
            <dt>{t('billing.invoices.practitioner')}</dt>
            <dd>{inv.practitioner_name ?? t('common.none')}</dd>
          </div>
          <div className="details__row">
            <dt>{t('billing.invoices.serviceDate')}</dt>
            <dd>{formatDate(inv.service_date, locale)}</dd>
          </div>
          {inv.issued_at && (
            <div className="details__row">
              <dt>{t('billing.invoices.issuedAt')}</dt>
              <dd>{formatDateTime(inv.issued_at, locale)}</dd>
            </div>
          )}
          {inv.credit_note_id && (
            <div className="details__row">
              <dt>{t('billing.invoices.cancelledBy')}</dt>
              <dd>
                <Link to={invoiceHref(inv.credit_note_id)}>{inv.credit_note_number}</Link>
                {inv.cancel_reason && ` — ${inv.cancel_reason}`}
              </dd>
            </div>
          )}
          {inv.credited_invoice_id && (
            <div className="details__row">
              <dt>{t('billing.invoices.credits')}</dt>
              <dd>
                <Link to={invoiceHref(inv.credited_invoice_id)}>{inv.credited_invoice_number}</Link>
              </dd>
            </div>
          )}
        </dl>
        <div className="form__actions">
          {!isDraft && (
            <button type="button" className="button button--secondary" disabled={printing} onClick={() => void print()}>
              {printing ? t('common.loading') : t('billing.invoices.pdf')}
            </button>
          )}
        </div>
      </section>

      {isDraft && canManage ? (
        <DraftActions invoice={inv} etag={etag} onDeleted={onDeleted} onReload={onReload} />
      ) : (
        <LinesTable invoice={inv} />
      )}

      <section className="card" aria-labelledby="invoice-totals">
        <h3 id="invoice-totals">{t('billing.invoices.totals')}</h3>
        <dl className="details">
          {inv.vat_breakdown.map((v) => (
            <div className="details__row" key={v.rate_bp}>
              <dt>{t('billing.invoices.vatAt', { rate: formatRate(v.rate_bp, locale) })}</dt>
              <dd className="num">{formatMoney(v.vat_cents, locale)}</dd>
            </div>
          ))}
          <div className="details__row">
            <dt>{t('billing.invoices.subtotal')}</dt>
            <dd className="num">{formatMoney(inv.subtotal_cents, locale)}</dd>
          </div>
          <div className="details__row">
            <dt>{t('billing.invoices.total')}</dt>
            <dd className="num">
              <strong>{formatMoney(inv.total_cents, locale)}</strong>
            </dd>
          </div>
          <div className="details__row">
            <dt>{t('billing.invoices.paid')}</dt>
            <dd className="num">{formatMoney(inv.paid_cents, locale)}</dd>
          </div>
          <div className="details__row">
            <dt>{t('billing.invoices.balance')}</dt>
            <dd className="num" data-testid="balance-due">
              <strong>{formatMoney(inv.balance_due_cents, locale)}</strong>
            </dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="invoice-payments">
        <h3 id="invoice-payments">{t('billing.payments.title')}</h3>
        {inv.payments.length === 0 ? (
          <p className="empty-state">{t('billing.payments.none')}</p>
        ) : (
          <ul className="plain-list" aria-label={t('billing.payments.title')}>
            {inv.payments.map((p) => (
              <li key={p.id} className={p.voided ? 'muted' : undefined}>
                {formatDate(p.paid_on, locale)} · {t(`billing.methods.${p.method}`)} ·{' '}
                <strong>{formatMoney(p.amount_cents, locale)}</strong>
                {p.reference && ` · ${p.reference}`}
                {p.voided && (
                  <span className="badge badge--muted">
                    {t('billing.payments.voided')}
                    {p.void_reason && ` — ${p.void_reason}`}
                  </span>
                )}
                {canVoid && !p.voided && (
                  <button
                    type="button"
                    className="button button--small button--danger"
                    aria-label={t('billing.payments.voidLabel', {
                      amount: formatMoney(p.amount_cents, locale),
                      date: formatDate(p.paid_on, locale),
                    })}
                    onClick={() => setVoiding(p)}
                  >
                    {t('billing.payments.void')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {canPay && payable && <PaymentForm invoice={inv} />}
        {voiding && (
          <VoidPaymentDialog invoice={inv} payment={voiding} onReload={onReload} onClose={() => setVoiding(null)} />
        )}
      </section>
      {canPay && payable && <CancelSection invoice={inv} hasPayments={activePayments.length > 0} />}
    </div>
  );
}

function LinesTable({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section className="card" aria-labelledby="invoice-lines">
      <h3 id="invoice-lines">{t('billing.lines.title')}</h3>
      <div className="table-wrap">
        <table className="table table--dense">
          <caption className="visually-hidden">{t('billing.lines.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('billing.lines.act')}</th>
              <th scope="col" className="num">
                {t('billing.lines.quantity')}
              </th>
              <th scope="col" className="num">
                {t('billing.lines.unitPrice')}
              </th>
              <th scope="col" className="num">
                {t('billing.lines.vat')}
              </th>
              <th scope="col" className="num">
                {t('billing.lines.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {invoice.lines.map((l) => (
              <tr key={l.position}>
                <td>
                  <code>{l.code}</code> {l.label}
                </td>
                <td className="num">{l.quantity}</td>
                <td className="num">{formatMoney(l.unit_price_cents, locale)}</td>
                <td className="num">{formatRate(l.vat_rate_bp, locale)}</td>
                <td className="num">{formatMoney(l.amount_cents, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function DraftActions({
  invoice,
  etag,
  onDeleted,
  onReload,
}: {
  invoice: Invoice;
  etag: string;
  onDeleted: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const update = useUpdateInvoiceLines(invoice.id);
  const issue = useIssueInvoice(invoice.id);
  const remove = useDeleteInvoice(invoice.id);
  const [lines, setLines] = useState<LineDraft[]>(() =>
    invoice.lines.map((l) => ({
      code: l.code,
      label: l.label,
      quantity: String(l.quantity),
      price: centsToInput(l.unit_price_cents),
      catalogueCents: l.unit_price_cents,
      vat_rate_bp: l.vat_rate_bp,
    })),
  );
  const [dirty, setDirty] = useState(false);
  const [messages, setMessages] = useState<(string | undefined)[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [confirm, setConfirm] = useState<'issue' | 'delete' | null>(null);

  const save = async () => {
    const perLine = lineErrors(lines, t);
    setMessages(perLine);
    if (perLine.some(Boolean)) return;
    try {
      await update.mutateAsync({ lines: toLineInputs(lines), etag });
      toast.success(t('billing.invoices.saved'));
    } catch (e) {
      if (isApiError(e) && e.status === 412) setConflict(true);
      else setError(errorMessage(t, e));
    }
  };

  return (
    <section className="card" aria-labelledby="draft-lines">
      <h3 id="draft-lines" className="visually-hidden">
        {t('billing.lines.title')}
      </h3>
      {conflict && <ConflictAlert onReload={onReload} />}
      {error && <Alert tone="error">{error}</Alert>}
      <InvoiceLinesEditor
        lines={lines}
        errors={messages}
        onChange={(next) => {
          setLines(next);
          setDirty(true);
        }}
      />
      <div className="form__actions">
        <button
          type="button"
          className="button button--secondary"
          disabled={!dirty || update.isPending}
          onClick={() => void save()}
        >
          {update.isPending ? t('common.saving') : t('billing.invoices.saveLines')}
        </button>
        <button
          type="button"
          className="button"
          disabled={dirty || invoice.lines.length === 0}
          onClick={() => setConfirm('issue')}
        >
          {t('billing.invoices.issue')}
        </button>
        <button type="button" className="button button--danger" onClick={() => setConfirm('delete')}>
          {t('billing.invoices.deleteDraft')}
        </button>
      </div>
      {dirty && <p className="muted">{t('billing.invoices.saveBeforeIssue')}</p>}
      <ConfirmDialog
        open={confirm === 'issue'}
        title={t('billing.invoices.issueTitle')}
        confirmLabel={t('billing.invoices.issue')}
        busy={issue.isPending}
        error={issue.error ? errorMessage(t, issue.error) : null}
        onClose={() => setConfirm(null)}
        onConfirm={() =>
          void issue.mutateAsync().then(
            (i) => {
              toast.success(t('billing.invoices.issued', { number: i.number }));
              setConfirm(null);
            },
            () => undefined,
          )
        }
      >
        <p>{t('billing.invoices.issueBody')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'delete'}
        danger
        title={t('billing.invoices.deleteTitle')}
        confirmLabel={t('billing.invoices.deleteDraft')}
        busy={remove.isPending}
        error={remove.error ? errorMessage(t, remove.error) : null}
        onClose={() => setConfirm(null)}
        onConfirm={() => void remove.mutateAsync().then(onDeleted, () => undefined)}
      >
        <p>{t('billing.invoices.deleteBody')}</p>
      </ConfirmDialog>
    </section>
  );
}

function CancelSection({ invoice, hasPayments }: { invoice: Invoice; hasPayments: boolean }) {
  const { t } = useTranslation();
  const cancel = useCancelInvoice(invoice.id);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  return (
    <section className="card" aria-labelledby="invoice-cancel">
      <h3 id="invoice-cancel">{t('billing.cancel.title')}</h3>
      <p className="muted">{hasPayments ? t('billing.cancel.hasPayments') : t('billing.cancel.intro')}</p>
      <button type="button" className="button button--danger" disabled={hasPayments} onClick={() => setOpen(true)}>
        {t('billing.cancel.action')}
      </button>
      <ConfirmDialog
        open={open}
        danger
        title={t('billing.cancel.confirmTitle', { number: invoice.number })}
        confirmLabel={t('billing.cancel.action')}
        busy={cancel.isPending}
        error={cancel.error ? errorMessage(t, cancel.error) : null}
        onClose={() => setOpen(false)}
        onConfirm={() => {
          if (!reason.trim()) {
            setReasonError(t('validation.required'));
            return;
          }
          void cancel.mutateAsync(reason.trim()).then(
            (note) => {
              toast.success(t('billing.cancel.done', { number: note.credit_note.number }));
              setOpen(false);
            },
            () => undefined,
          );
        }}
      >
        <Field label={t('billing.cancel.reason')} error={reasonError} required>
          <input className="input" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
      </ConfirmDialog>
    </section>
  );
}

function VoidPaymentDialog({
  invoice,
  payment,
  onReload,
  onClose,
}: {
  invoice: Invoice;
  payment: Payment;
  onReload: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const voidPayment = useVoidPayment(invoice.id);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const failure = voidPayment.error;
  return (
    <ConfirmDialog
      open
      danger
      title={t('billing.payments.voidTitle', { amount: formatMoney(payment.amount_cents, locale) })}
      confirmLabel={t('billing.payments.void')}
      busy={voidPayment.isPending}
      error={failure ? voidErrorMessage(t, failure) : null}
      onClose={() => {
        // A refusal may mean the invoice changed meanwhile (voided from another screen): reload it.
        if (failure) onReload();
        onClose();
      }}
      onConfirm={() => {
        if (!reason.trim()) {
          setReasonError(t('validation.required'));
          return;
        }
        setReasonError(undefined);
        void voidPayment.mutateAsync({ paymentId: payment.id, reason: reason.trim() }).then(
          (after) => {
            toast.success(t('billing.payments.voidDone', { balance: formatMoney(after.balance_due_cents, locale) }));
            onClose();
          },
          () => undefined,
        );
      }}
    >
      <p>{t('billing.payments.voidBody')}</p>
      <Field label={t('billing.payments.voidReason')} error={reasonError} required>
        <input className="input" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
    </ConfirmDialog>
  );
}

function voidErrorMessage(t: TFunction, error: unknown): string {
  if (!isApiError(error)) return errorMessage(t, error);
  if (error.code === 'payment.already_voided') return t('billing.payments.alreadyVoided');
  if (error.fieldErrors.length > 0) return error.fieldErrors.map((fe) => fieldErrorMessage(t, fe)).join(' ');
  return errorMessage(t, error);
}
