// SPDX-License-Identifier: Apache-2.0
// Billing types, from the generated OpenAPI schema; money is in integer cents as the API has it.
import type { components } from '@/types/openapi.gen';

type Schemas = components['schemas'];

export type Act = Schemas['Act'];
export type ActInput = Schemas['ActInput'];
export type ActPatch = Schemas['ActPatch'];
export type ActSystem = Act['system'];
export type Invoice = Schemas['Invoice'];
export type InvoiceSummary = Schemas['InvoiceSummary'];
export type InvoiceInput = Schemas['InvoiceInput'];
export type InvoiceLineInput = Schemas['InvoiceLineInput'];
export type InvoiceStatus = Invoice['status'];
export type InvoiceKind = Invoice['kind'];
export type Payment = Schemas['Payment'];
export type PaymentInput = Schemas['PaymentInput'];
export type PaymentMethod = Payment['method'];
export type BillingStats = Schemas['BillingStats'];
export type Practitioner = Schemas['Practitioner'];

export const invoiceStatuses: readonly InvoiceStatus[] = ['draft', 'issued', 'partially_paid', 'paid', 'cancelled'];
export const paymentMethods: readonly PaymentMethod[] = ['card', 'cash', 'cheque', 'transfer', 'amo', 'amc'];
export const actSystems: readonly ActSystem[] = ['NGAP', 'CCAM', 'OTHER'];

/** "26,50", "26.5", "1 234,56 €" → 2650, 2650, 123456; null when it is not an amount. */
export function parseEuros(text: string): number | null {
  const s = text.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  const [whole = '0', frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** 2650 → "26.50" (for an input's value; the user's separator is accepted back). */
export function centsToInput(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** VAT rate in basis points → "20 %" in the user's locale. */
export function formatRate(bp: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(bp / 10000);
}

export function formatMoney(cents: number, locale: string, currency = 'EUR'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}
