// SPDX-License-Identifier: Apache-2.0
// Files from the API (PDFs, documents): fetched through the API client, so an expired session is
// refreshed first rather than ending in a JSON error page, then handed to the browser to save.
// The bytes live in an object URL only for the moment of the click.
import { unwrapWithResponse } from './api-client';

type FetchResult = { data?: unknown; error?: unknown; response: Response };

/** The file name of a Content-Disposition header (RFC 6266: filename* first), or null. */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // A malformed encoding: fall back to the plain name.
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/.exec(header);
  const name = plain?.[1] ?? plain?.[2];
  return name ? name.trim() : null;
}

/** Awaits an `api.GET(..., { parseAs: 'blob' })` call: the bytes and the server's file name. */
export async function fetchFile(
  call: Promise<FetchResult>,
  fallbackName: string,
): Promise<{ blob: Blob; filename: string }> {
  const { data, response } = await unwrapWithResponse(call);
  const blob = data instanceof Blob ? data : new Blob([]);
  return { blob, filename: filenameFromDisposition(response.headers.get('Content-Disposition')) ?? fallbackName };
}

/** Hands bytes to the browser as a download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Some browsers read the URL after the click returns: revoke a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fetches a file from the API and saves it. */
export async function downloadFile(call: Promise<FetchResult>, fallbackName: string): Promise<void> {
  const { blob, filename } = await fetchFile(call, fallbackName);
  saveBlob(blob, filename);
}
