// SPDX-License-Identifier: Apache-2.0
// Documents in the chart: the front desk files a scanned consent (and is told clearly when a file
// type is refused), lists clinical documents without opening them and sees no clinical tab; a
// doctor sees an X-ray's thumbnail and downloads a lab report.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { account, apiStatus, openBrowser, screenshot, signIn, signOut, type BrowserSession } from './support/browser';
import { e2eDescribe } from './support/skip';

async function openChart(page: Page, typed: string, name: RegExp) {
  const search = page.getByRole('combobox', { name: /Nom, prénom/ });
  await search.waitFor();
  await search.pressSequentially(typed, { delay: 20 });
  await page.getByRole('option', { name }).first().click();
  await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { level: 1, name }).waitFor();
  return page.url().split('/').pop()!;
}

e2eDescribe('documents', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openBrowser({ locale: 'fr-FR' });
  });
  afterAll(() => s?.close());

  it('a secretary uploads a consent form, sees it listed and downloads it; clinical ones stay closed', async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, account('secretary'));
    await page.waitForURL(/\/patients$/);
    const patientId = await openChart(page, 'helene dup', /DUPONT Hélène/);
    const tabs = page.getByRole('navigation', { name: 'Sections du dossier' });
    await tabs.getByRole('link', { name: 'Documents' }).waitFor();
    await expect.poll(() => tabs.textContent()).not.toContain('Consultations');
    expect(await tabs.textContent()).not.toContain('Constantes');
    // No clinical content either: no allergy line in the banner, and the API refuses.
    expect(await page.getByTestId('banner-allergies').count()).toBe(0);
    expect(await apiStatus(page, `/api/v1/patients/${patientId}/summary`)).toBe(403);

    await tabs.getByRole('link', { name: 'Documents' }).click();
    const list = page.getByRole('list', { name: 'Documents' });
    const lab = list.getByRole('listitem').filter({ hasText: 'Bilan sanguin' });
    await lab.waitFor();
    expect(await lab.textContent()).toContain('réservé aux médecins');
    expect(await lab.getByRole('button', { name: /Télécharger/ }).count()).toBe(0);

    const form = page.getByRole('form', { name: 'Ajouter un document' });
    // A Windows program is refused by the server from its bytes, whatever its name.
    await form.getByLabel('Fichier').setInputFiles({
      name: 'scan.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('MZ\x90\x00 not a document'),
    });
    await form.getByRole('button', { name: 'Envoyer le document' }).click();
    await form.getByText(/Type de fichier refusé/).waitFor();
    await screenshot(page, 'documents-refused');

    await form.getByLabel('Fichier').setInputFiles({
      name: 'consentement-soins.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Je consens aux soins proposés.\nSigné : H. Dupont\n'),
    });
    await expect.poll(() => form.getByLabel(/^Titre/).inputValue()).toBe('consentement soins');
    await form.getByLabel(/^Titre/).fill('Consentement aux soins');
    await form.getByLabel(/^Catégorie/).selectOption('consent');
    await form.getByRole('button', { name: 'Envoyer le document' }).click();
    await page.getByText('Document ajouté.').waitFor();
    const added = list.getByRole('listitem').filter({ hasText: 'Consentement aux soins' });
    await added.waitFor();
    await screenshot(page, 'documents-secretary');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      added.getByRole('button', { name: 'Télécharger « Consentement aux soins »' }).click(),
    ]);
    expect(readFileSync(await download.path(), 'utf8')).toContain('Je consens aux soins');
    await signOut(page);
  });

  it("a doctor sees an X-ray's thumbnail and downloads a lab report", async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, account('doctor'));
    await page.waitForURL(/\/my-day$/); // a doctor lands on their day
    await page.goto(`${s.baseUrl}/patients`);
    const patientId = await openChart(page, 'theo rous', /ROUSSEAU Théo/);
    await page.goto(`${s.baseUrl}/patients/${patientId}/documents`);
    const list = page.getByRole('list', { name: 'Documents' });
    await list.waitFor();
    // The thumbnail is made in the background after the upload: reload until it is there.
    const thumbnail = page.getByRole('img', { name: 'Aperçu de « Radiographie thoracique de face »' });
    await expect
      .poll(
        async () => {
          if ((await thumbnail.count()) > 0) return true;
          await page.reload();
          await list.waitFor();
          await list.getByRole('listitem').first().waitFor();
          return (await thumbnail.count()) > 0;
        },
        { timeout: 40_000, interval: 1_000 },
      )
      .toBe(true);
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await screenshot(page, 'documents-doctor');

    const lab = list.getByRole('listitem').filter({ hasText: 'Bilan sanguin' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      lab.getByRole('button', { name: /Télécharger/ }).click(),
    ]);
    expect(
      readFileSync(await download.path())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    await signOut(page);
  });
});
