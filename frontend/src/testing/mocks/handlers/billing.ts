// SPDX-License-Identifier: Apache-2.0
// MSW handlers for billing: an issued invoice that takes payments up to its balance (409 beyond,
// as the server answers), and the act search.
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
    const payment: Schemas['Payment'] = {
      id: `p${i.payments.length + 1}`,
      method: input.method,
      amount_cents: input.amount_cents,
      paid_on: input.paid_on ?? '2026-11-24',
      reference: input.reference ?? null,
      recorded_by: 'u-accountant',
      recorded_at: '2026-11-24T11:00:00Z',
      voided: false,
      voided_at: null,
      voided_by: null,
      void_reason: null,
    };
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
];

export function resetBilling(): void {
  invoices.clear();
}
