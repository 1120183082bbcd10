// SPDX-License-Identifier: Apache-2.0
import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { invoices, makeInvoice } from '@/testing/mocks/handlers/billing';
import { renderApp } from '@/testing/test-utils';
import { InvoiceDetail } from './invoice-detail';

const invoice = makeInvoice();

function renderDetail(canPay = true) {
  invoices.set(invoice.id, invoice);
  return renderApp(
    <InvoiceDetail
      invoiceId={invoice.id}
      canManage
      canPay={canPay}
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
