// SPDX-License-Identifier: Apache-2.0
import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { invoices, makeInvoice, makePayment } from '@/testing/mocks/handlers/billing';
import { renderApp } from '@/testing/test-utils';
import { InvoiceDetail } from './invoice-detail';

const invoice = makeInvoice();

function renderDetail(canPay = true, canVoid = false, shown = invoice) {
  invoices.set(shown.id, shown);
  return renderApp(
    <InvoiceDetail
      invoiceId={shown.id}
      canManage
      canPay={canPay}
      canVoid={canVoid}
      invoiceHref={(id) => `/billing/invoices/${id}`}
      onDeleted={vi.fn()}
    />,
  );
}

describe('InvoiceDetail payments', () => {
  it('records a partial payment, refuses an over-payment with the balance, then settles', async () => {
    const { user } = renderDetail();
    const amount = await screen.findByLabelText(/^Amount \(/);
    // The balance due is offered by default.
    expect(amount).toHaveValue('44.26');
    await user.clear(amount);
    await user.type(amount, '20');
    await user.selectOptions(screen.getByLabelText(/^Payment method/), 'cheque');
    await user.click(screen.getByRole('button', { name: 'Record the payment' }));
    expect(await screen.findByText('Partly paid')).toBeInTheDocument();
    expect(screen.getByTestId('balance-due')).toHaveTextContent('€24.26');

    const again = screen.getByLabelText(/^Amount \(/);
    await user.clear(again);
    await user.type(again, '100');
    await user.click(screen.getByRole('button', { name: 'Record the payment' }));
    expect(
      await screen.findByText('Refused by the server: the amount is more than the balance due (€24.26).'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/^Amount \(/)).toHaveAttribute('aria-invalid', 'true');

    const rest = screen.getByLabelText(/^Amount \(/);
    await user.clear(rest);
    await user.type(rest, '24,26');
    await user.click(screen.getByRole('button', { name: 'Record the payment' }));
    expect(await screen.findByText('Paid')).toBeInTheDocument();
    expect(screen.getByTestId('balance-due')).toHaveTextContent('€0.00');
    expect(screen.getByRole('list', { name: 'Payments' }).children).toHaveLength(2);
    // Nothing is left to pay: the form is gone.
    expect(screen.queryByRole('form', { name: 'Record a payment' })).not.toBeInTheDocument();
  });

  it('refuses an amount that is not one before sending', async () => {
    const { user } = renderDetail();
    const amount = await screen.findByLabelText(/^Amount \(/);
    await user.clear(amount);
    await user.type(amount, '12,345');
    await user.click(screen.getByRole('button', { name: 'Record the payment' }));
    expect(await screen.findByText('Amount in euros, above zero.')).toBeInTheDocument();
  });

  it('offers neither payments nor a credit note to those who may not record them', async () => {
    renderDetail(false);
    expect(await screen.findByText(/F-2026-000042/)).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Record a payment' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Issue a credit note' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Download the PDF' })).toBeInTheDocument();
  });
});

describe('InvoiceDetail voiding a payment', () => {
  const cheque = makePayment({ method: 'cheque', amount_cents: 2000, reference: '0012345' });
  const partlyPaid = makeInvoice({
    status: 'partially_paid',
    paid_cents: 2000,
    balance_due_cents: 2426,
    payments: [cheque],
  });

  it('asks for a reason, then keeps the payment on the invoice marked void and restores the balance', async () => {
    const { user } = renderDetail(true, true, partlyPaid);
    expect(await screen.findByTestId('balance-due')).toHaveTextContent('€24.26');
    await user.click(screen.getByRole('button', { name: /^Void the payment of €20.00 on / }));
    const dialog = await screen.findByRole('dialog', { name: 'Void the payment of €20.00?' });
    await user.click(within(dialog).getByRole('button', { name: 'Void this payment' }));
    expect(await within(dialog).findByText('Required')).toBeInTheDocument();
    expect(invoices.get(partlyPaid.id)?.payments[0]?.voided).toBe(false);

    await user.type(within(dialog).getByLabelText(/^Reason/), 'Cheque returned unpaid');
    await user.click(within(dialog).getByRole('button', { name: 'Void this payment' }));
    expect(await screen.findByText(/Voided — Cheque returned unpaid/)).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByTestId('balance-due')).toHaveTextContent('€44.26');
    expect(screen.getByText('Issued')).toBeInTheDocument();
    // Still listed, and nothing left to void.
    expect(screen.getByRole('list', { name: 'Payments' }).children).toHaveLength(1);
    expect(screen.queryByRole('button', { name: /^Void the payment/ })).not.toBeInTheDocument();
  });

  it("shows the server's refusal inside the dialog", async () => {
    const { user } = renderDetail(true, true, partlyPaid);
    await user.click(await screen.findByRole('button', { name: /^Void the payment of €20.00/ }));
    // Voided meanwhile, from another screen.
    invoices.set(partlyPaid.id, { ...partlyPaid, payments: [{ ...cheque, voided: true }] });
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/^Reason/), 'Duplicate entry');
    await user.click(within(dialog).getByRole('button', { name: 'Void this payment' }));
    expect(await within(dialog).findByText(/already void \(from another screen\)/)).toBeInTheDocument();
    // Closing reloads the invoice: the payment shows as void.
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(await screen.findByText('Voided')).toBeInTheDocument();
  });

  it('offers no voiding to those who may not void', async () => {
    renderDetail(true, false, partlyPaid);
    expect(await screen.findByText(/F-2026-000042/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Void the payment/ })).not.toBeInTheDocument();
  });
});
