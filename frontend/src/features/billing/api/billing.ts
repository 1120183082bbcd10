// SPDX-License-Identifier: Apache-2.0
// Billing: the act catalogue (/api/v1/billing/acts), invoices and credit notes (/api/v1/invoices:
// drafts changed with If-Match, issue, cancel, payments, PDF) and the revenue figures
// (/api/v1/billing/stats). After a change, the invoice lists and figures are refetched.
import {
  infiniteQueryOptions,
  queryOptions,
  useMutation,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { api, etagOf, unwrap, unwrapWithResponse } from '@/lib/api-client';
import { downloadFile } from '@/lib/save-file';
import type {
  Act,
  ActInput,
  ActPatch,
  Invoice,
  InvoiceInput,
  InvoiceKind,
  InvoiceLineInput,
  InvoiceStatus,
  PaymentInput,
} from '../types';

export interface InvoiceFilters {
  status?: InvoiceStatus | undefined;
  kind?: InvoiceKind | undefined;
  from?: string | undefined;
  to?: string | undefined;
  patientId?: string | undefined;
}

export const billingKeys = {
  all: ['billing'] as const,
  invoices: ['billing', 'invoices'] as const,
  invoiceList: (f: InvoiceFilters) => ['billing', 'invoices', 'list', f] as const,
  invoice: (id: string) => ['billing', 'invoices', 'one', id] as const,
  acts: ['billing', 'acts'] as const,
  actSearch: (q: string, includeInactive: boolean) => ['billing', 'acts', q, includeInactive] as const,
  stats: (year: number, month: number | null) => ['billing', 'stats', year, month] as const,
  practitioners: ['billing', 'practitioners'] as const,
};

export function invoicesQuery(f: InvoiceFilters) {
  return infiniteQueryOptions({
    queryKey: billingKeys.invoiceList(f),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/invoices', {
          params: {
            query: {
              cursor: pageParam,
              limit: 50,
              ...(f.status ? { status: f.status } : {}),
              ...(f.kind ? { kind: f.kind } : {}),
              ...(f.from ? { from: f.from } : {}),
              ...(f.to ? { to: f.to } : {}),
              ...(f.patientId ? { patient_id: f.patientId } : {}),
            },
          },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export interface InvoiceWithEtag {
  invoice: Invoice;
  etag: string;
}

export function invoiceQuery(id: string) {
  return queryOptions({
    queryKey: billingKeys.invoice(id),
    queryFn: async ({ signal }): Promise<InvoiceWithEtag> => {
      const { data, response } = await unwrapWithResponse(
        api.GET('/api/v1/invoices/{id}', { params: { path: { id } }, signal }),
      );
      return { invoice: data, etag: response.headers.get('ETag') ?? `"v${data.version}"` };
    },
  });
}

/** Catalogue search (active codes) for the invoice's act picker. */
export function actLookupQuery(q: string) {
  return queryOptions<Act[]>({
    queryKey: billingKeys.actSearch(q, false),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/billing/acts', { params: { query: { q, limit: 15 } }, signal })).then((r) => r.items),
    staleTime: 5 * 60_000,
  });
}

export function actsQuery(q: string, includeInactive: boolean) {
  return infiniteQueryOptions({
    queryKey: billingKeys.actSearch(q, includeInactive),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/billing/acts', {
          params: {
            query: { cursor: pageParam, limit: 50, include_inactive: includeInactive, ...(q ? { q } : {}) },
          },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function statsQuery(year: number, month: number | null) {
  return queryOptions({
    queryKey: billingKeys.stats(year, month),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/billing/stats', {
          params: { query: month === null ? { year } : { year, month } },
          signal,
        }),
      ),
  });
}

export const practitionersQuery = queryOptions({
  queryKey: billingKeys.practitioners,
  queryFn: ({ signal }) => unwrap(api.GET('/api/v1/practitioners', { signal })).then((r) => r.items),
  staleTime: 5 * 60_000,
});

function refresh(queryClient: QueryClient, invoice?: Invoice): void {
  if (invoice) {
    queryClient.setQueryData<InvoiceWithEtag>(billingKeys.invoice(invoice.id), {
      invoice,
      etag: `"v${invoice.version}"`,
    });
  }
  void queryClient.invalidateQueries({ queryKey: billingKeys.invoices });
  void queryClient.invalidateQueries({ queryKey: ['billing', 'stats'] });
}

export function useCreateInvoice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InvoiceInput) => unwrap(api.POST('/api/v1/invoices', { body: input })),
    onSuccess: (invoice) => refresh(queryClient, invoice),
  });
}

export function useUpdateInvoiceLines(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ lines, etag }: { lines: InvoiceLineInput[]; etag: string }) => {
      const { data, response } = await unwrapWithResponse(
        api.PATCH('/api/v1/invoices/{id}', {
          params: { path: { id }, header: { 'If-Match': etag } },
          body: { lines },
        }),
      );
      queryClient.setQueryData<InvoiceWithEtag>(billingKeys.invoice(id), { invoice: data, etag: etagOf(response) });
      return data;
    },
    onSuccess: () => refresh(queryClient),
  });
}

export function useIssueInvoice(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/invoices/{id}/issue', { params: { path: { id } } })),
    onSuccess: (invoice) => refresh(queryClient, invoice),
  });
}

export function useDeleteInvoice(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/invoices/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: billingKeys.invoice(id) });
      refresh(queryClient);
    },
  });
}

export function useCancelInvoice(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      unwrap(api.POST('/api/v1/invoices/{id}/cancel', { params: { path: { id } }, body: { reason } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: billingKeys.invoice(id) });
      refresh(queryClient);
    },
  });
}

export function useRecordPayment(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: PaymentInput) =>
      unwrap(api.POST('/api/v1/invoices/{id}/payments', { params: { path: { id } }, body: input })),
    onSuccess: (recorded) => refresh(queryClient, recorded.invoice),
  });
}

/** Voids a payment recorded by mistake (administrators): it stays on the invoice, marked void. */
export function useVoidPayment(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ paymentId, reason }: { paymentId: string; reason: string }) =>
      unwrap(
        api.POST('/api/v1/invoices/{id}/payments/{payment_id}/void', {
          params: { path: { id, payment_id: paymentId } },
          body: { reason },
        }),
      ),
    onSuccess: (invoice) => refresh(queryClient, invoice),
  });
}

/** Asks the server for the period's revenue report (a PDF rendered by a background job). */
export function useRequestRevenueReport() {
  return useMutation({
    mutationFn: ({ year, month }: { year: number; month: number | null }) =>
      unwrap(
        api.POST('/api/v1/reports', {
          body: { kind: 'billing.revenue', parameters: month ? { year, month } : { year } },
        }),
      ),
  });
}

export function downloadInvoicePdf(id: string, number: string | null): Promise<void> {
  return downloadFile(
    api.GET('/api/v1/invoices/{id}/pdf', { params: { path: { id } }, parseAs: 'blob' }),
    `${number ?? id.slice(-8)}.pdf`,
  );
}

export function useCreateAct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ActInput) => unwrap(api.POST('/api/v1/billing/acts', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: billingKeys.acts }),
  });
}

export function useUpdateAct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ code, version, patch }: { code: string; version: number; patch: ActPatch }) =>
      unwrap(
        api.PATCH('/api/v1/billing/acts/{code}', {
          params: { path: { code }, header: { 'If-Match': `"v${version}"` } },
          body: patch,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: billingKeys.acts }),
  });
}

export function useDeleteAct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => unwrap(api.DELETE('/api/v1/billing/acts/{code}', { params: { path: { code } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: billingKeys.acts }),
  });
}
