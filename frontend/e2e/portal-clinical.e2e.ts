// SPDX-License-Identifier: Apache-2.0
// The patient portal's clinical part: the patient reads their signed consultations (and prints an
// ordonnance), downloads their documents (not those kept from them) and their invoices' PDFs, and
// cannot reach another patient's record (404, as if it did not exist); both languages render.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { account, apiStatus, openBrowser, screenshot, signIn, signOut, type BrowserSession } from './support/browser';
import { e2eDescribe } from './support/skip';

e2eDescribe('patient portal: records, documents, invoices', () => {
  let s: BrowserSession;
  let someoneElse = '';
  beforeAll(async () => {
    s = await openBrowser({ locale: 'fr-FR' });
    await signIn(s.page, s.baseUrl, account('doctor'));
    await s.page.waitForURL(/\/my-day$/); // a doctor lands on their day
    await s.page.goto(`${s.baseUrl}/patients`);
    await s.page.getByRole('combobox').pressSequentially('rousseau', { delay: 20 });
    await s.page
      .getByRole('option', { name: /ROUSSEAU/ })
      .first()
      .click();
    await s.page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    someoneElse = s.page.url().split('/').pop()!;
    await signOut(s.page);
    await signIn(s.page, s.baseUrl, account('patient'));
    await s.page.waitForURL(/\/portal$/);
  });
  afterAll(() => s?.close());

  it('reads their signed consultations and prints an ordonnance', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Mes consultations' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes consultations' }).waitFor();
    const table = page.getByRole('table', { name: 'Consultations' });
    await table.getByRole('row').nth(1).waitFor();
    await expect.poll(() => table.textContent()).toContain('Signée');
    expect(await table.textContent()).not.toContain('Brouillon');
    await screenshot(page, 'portal-records');

    // The first consultation that prescribed something.
    const withPrescription = table.getByRole('row').filter({ hasText: /ligne/ }).first();
    await withPrescription.getByRole('link').click();
    await page.waitForURL(/\/portal\/records\/[0-9a-f-]{36}$/);
    await page.getByText(/^Signée le /).waitFor();
    expect(await page.getByRole('button', { name: 'Ajouter un avenant' }).count()).toBe(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Imprimer l’ordonnance (PDF)' }).click(),
    ]);
    expect(
      readFileSync(await download.path())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    await screenshot(page, 'portal-encounter');
  });

  it('downloads their documents, not those kept from them', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Mes documents' }).click();
    const list = page.getByRole('list', { name: 'Documents' });
    const lab = list.getByRole('listitem').filter({ hasText: 'Bilan sanguin' });
    await lab.waitFor();
    expect(await list.textContent()).not.toContain('Courrier au cardiologue');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      lab.getByRole('button', { name: /Télécharger/ }).click(),
    ]);
    expect(
      readFileSync(await download.path())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    await screenshot(page, 'portal-documents');
  });

  it('opens an invoice and downloads its PDF', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Mes factures' }).click();
    const table = page.getByRole('table', { name: 'Factures et avoirs' });
    const first = table.getByRole('link', { name: /F-\d{4}-\d{6}/ }).first();
    await first.waitFor();
    expect(await table.textContent()).not.toContain('Brouillon');
    await first.click();
    await page.waitForURL(/\/portal\/invoices\/[0-9a-f-]{36}$/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger le PDF' }).click(),
    ]);
    expect(
      readFileSync(await download.path())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    expect(await page.getByRole('form', { name: 'Enregistrer un paiement' }).count()).toBe(0);
    await screenshot(page, 'portal-invoice');
  });

  it("cannot reach another patient's record or documents", async () => {
    const { page } = s;
    for (const path of ['summary', 'encounters', 'vitals', 'documents', 'allergies']) {
      expect(await apiStatus(page, `/api/v1/patients/${someoneElse}/${path}`)).toBe(404);
    }
    await page.goto(`${s.baseUrl}/patients/${someoneElse}`);
    await page.getByRole('heading', { name: 'Accès refusé' }).waitFor();
  });

  it('renders in English too', async () => {
    const { page } = s;
    await page.goto(`${s.baseUrl}/portal/records`);
    await page.getByRole('heading', { level: 1, name: 'Mes consultations' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'My consultations' }).waitFor();
    await page.getByRole('heading', { name: 'Recent encounters' }).waitFor();
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes consultations' }).waitFor();
    await signOut(page);
  });
});
