// SPDX-License-Identifier: Apache-2.0
// MSW handlers for billing: an issued invoice that takes payments up to its balance (409 beyond,
// as the server answers) and has them voided (409 when already void), and the act search.
import { http, HttpResponse } from 'msw';
import type { components } from '@/types/openapi.gen';
import { problem } from '../problem';

type Schemas = components['schemas'];
type Invoice = Schemas['Invoice'];

export function makeInvoice(over: Partial<Invoice> = {}): Invoice {
  return {
    id: '30000000-0000-4000-8000-000000000001',
    kind: 'invoice',
    number: 'F-2026-000042',
    status: 'issued',
    patient_id: '10000000-0000-4000-8000-000000000001',
    patient_name: 'Hélène Dupont',
    patient_mrn: 'MS00000001',
    practitioner_id: 'u-doctor',
    practitioner_name: 'Dr Test',
    encounter_id: null,
    service_date: '2026-11-24',
    issue_date: '2026-11-24',
    issued_at: '2026-11-24T10:00:00Z',
    subtotal_cents: 4426,
    vat_cents: 0,
    total_cents: 4426,
    paid_cents: 0,
    balance_due_cents: 4426,
    credit_note_id: null,
    credit_note_number: null,
    credited_invoice_id: null,
    credited_invoice_number: null,
    cancel_reason: null,
    cancelled_at: null,
    created_at: '2026-11-24T10:00:00Z',
    updated_at: '2026-11-24T10:00:00Z',
    version: 2,
    lines: [],
    vat_breakdown: [],
    payments: [],
    ...over,
  };
}

/** A payment as the server lists it on an invoice: recorded by the accountant, not void. */
export function makePayment(over: Partial<Schemas['Payment']> = {}): Schemas['Payment'] {
  return {
    id: 'p1',
    method: 'card',
    amount_cents: 1000,
    paid_on: '2026-11-24',
    reference: null,
    recorded_by: 'u-accountant',
    recorded_at: '2026-11-24T11:00:00Z',
    voided: false,
    voided_at: null,
    voided_by: null,
    void_reason: null,
    ...over,
  };
}

export const invoices = new Map<string, Invoice>();

export const billingHandlers = [
  http.get('*/api/v1/invoices/:id', ({ params }) => {
    const i = invoices.get(String(params.id));
    return i ? HttpResponse.json(i, { headers: { ETag: `"v${i.version}"` } }) : problem(404, 'not_found');
  }),
  http.post('*/api/v1/invoices/:id/payments', async ({ params, request }) => {
    const i = invoices.get(String(params.id));
    if (!i) return problem(404, 'not_found');
    const input = (await request.json()) as Schemas['PaymentInput'];
    if (input.amount_cents > i.balance_due_cents) {
      return problem(409, 'payment.exceeds_balance', {
        title: 'Conflict',
        detail: 'The amount is more than the balance due on this invoice.',
        balance_due_cents: i.balance_due_cents,
      });
    }
    const payment = makePayment({
      id: `p${i.payments.length + 1}`,
      method: input.method,
      amount_cents: input.amount_cents,
      paid_on: input.paid_on ?? '2026-11-24',
      reference: input.reference ?? null,
    });
    const paid = i.paid_cents + input.amount_cents;
    const next: Invoice = {
      ...i,
      paid_cents: paid,
      balance_due_cents: i.total_cents - paid,
      status: paid === i.total_cents ? 'paid' : 'partially_paid',
      payments: [...i.payments, payment],
      version: i.version + 1,
    };
    invoices.set(i.id, next);
    return HttpResponse.json({ payment, invoice: next }, { status: 201 });
  }),
  http.post('*/api/v1/invoices/:id/payments/:paymentId/void', async ({ params, request }) => {
    const i = invoices.get(String(params.id));
    if (!i) return problem(404, 'not_found');
    const p = i.payments.find((x) => x.id === params.paymentId);
    if (!p) return problem(404, 'payment_not_found');
    if (p.voided) return problem(409, 'payment.already_voided', { detail: 'This payment is already void.' });
    const { reason } = (await request.json()) as Schemas['VoidInput'];
    const paid = i.paid_cents - p.amount_cents;
    const next: Invoice = {
      ...i,
      paid_cents: paid,
      balance_due_cents: i.total_cents - paid,
      status: paid === 0 ? 'issued' : 'partially_paid',
      payments: i.payments.map((x) =>
        x.id === p.id
          ? { ...x, voided: true, voided_at: '2026-11-24T12:00:00Z', voided_by: 'u-admin', void_reason: reason }
          : x,
      ),
      version: i.version + 1,
    };
    invoices.set(i.id, next);
    return HttpResponse.json(next, { headers: { ETag: `"v${next.version}"` } });
  }),
];

export function resetBilling(): void {
  invoices.clear();
}
