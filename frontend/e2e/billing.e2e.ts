// SPDX-License-Identifier: Apache-2.0
// Billing in the browser: the accountant creates a draft from the act catalogue, issues it,
// records a partial payment, is refused an over-payment with the server's message, settles the
// rest, downloads the PDF and reads the month's statistics with their chart; the administrator
// changes an act's fee and voids the cheque recorded by mistake; a doctor sees the patient's
// invoices in the chart.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { account, apiStatus, openBrowser, screenshot, signIn, signOut, type BrowserSession } from './support/browser';
import { e2eDescribe } from './support/skip';

e2eDescribe('billing', () => {
  let s: BrowserSession;
  let invoiceId = '';
  beforeAll(async () => {
    s = await openBrowser({ locale: 'fr-FR' });
  });
  afterAll(() => s?.close());

  it('an accountant lists the invoices and creates a draft from the act catalogue', async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, account('accountant'));
    await page.waitForURL(/\/billing$/);
    const table = page.getByRole('table', { name: 'Factures et avoirs' });
    await table.getByRole('row').nth(1).waitFor();
    await expect.poll(() => table.textContent()).toMatch(/F-\d{4}-\d{6}/);
    await screenshot(page, 'billing-invoices');

    await page.getByRole('link', { name: 'Nouvelle facture' }).click();
    const patient = page.getByRole('combobox', { name: /^Patient/ });
    await patient.pressSequentially('francoise fontaine', { delay: 20 });
    await page
      .getByRole('option', { name: /Françoise/ })
      .first()
      .click();
    await page.getByRole('status').filter({ hasText: 'Françoise' }).waitFor();
    const practitioner = page.getByLabel(/^Praticien/);
    await expect.poll(() => practitioner.locator('option').count()).toBeGreaterThan(1);
    await practitioner.selectOption({ index: 1 });

    const act = page.getByRole('combobox', { name: /Ajouter un acte/ });
    await act.pressSequentially('deqp', { delay: 30 });
    await page.getByRole('option', { name: /DEQP003/ }).click();
    await act.pressSequentially('consultation au cabinet du medecin gen', { delay: 10 });
    await page.getByRole('option', { name: /^G\b/ }).first().click();
    await page.getByLabel('Quantité de G').waitFor();
    await expect.poll(() => page.locator('output').textContent()).toMatch(/44,26\s€/);
    await screenshot(page, 'billing-new-invoice');
    await page.getByRole('button', { name: 'Créer le brouillon' }).click();
    await page.waitForURL(/\/billing\/invoices\/[0-9a-f-]{36}$/);
    invoiceId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: /Facture Brouillon/ }).waitFor();
  });

  it('issues it, records a partial payment, is refused an over-payment, then settles it', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Émettre la facture' }).click();
    const dialog = page.getByRole('dialog', { name: 'Émettre la facture ?' });
    await dialog.getByRole('button', { name: 'Émettre la facture' }).click();
    const title = page.getByRole('heading', { level: 2, name: /Facture F-\d{4}-\d{6}/ });
    await title.waitFor();
    await expect.poll(() => title.textContent()).toContain('Émise');
    const balance = page.getByTestId('balance-due');
    await expect.poll(() => balance.textContent()).toMatch(/44,26\s€/);

    const form = page.getByRole('form', { name: 'Enregistrer un paiement' });
    await form.getByLabel(/^Mode de paiement/).selectOption('cheque');
    await form.getByLabel(/^Montant/).fill('20');
    await form.getByRole('button', { name: 'Enregistrer le paiement' }).click();
    await expect.poll(() => title.textContent()).toContain('Payée en partie');
    await expect.poll(() => balance.textContent()).toMatch(/24,26\s€/);

    await form.getByLabel(/^Montant/).fill('100');
    await form.getByRole('button', { name: 'Enregistrer le paiement' }).click();
    const refusal = form.locator('.field__error');
    await refusal.waitFor();
    await expect.poll(() => refusal.textContent()).toMatch(/dépasse le reste dû \(24,26\s€\)/);
    await screenshot(page, 'billing-overpayment-refused');
    await expect.poll(() => balance.textContent()).toMatch(/24,26\s€/);

    await form.getByLabel(/^Montant/).fill('24,26');
    await form.getByLabel(/^Mode de paiement/).selectOption('card');
    await form.getByRole('button', { name: 'Enregistrer le paiement' }).click();
    await expect.poll(() => title.textContent()).toContain('Payée');
    await expect.poll(() => balance.textContent()).toMatch(/0,00\s€/);
    await expect.poll(() => page.getByRole('list', { name: 'Paiements' }).getByRole('listitem').count()).toBe(2);
    // Voiding is the administrator's.
    expect(await page.getByRole('button', { name: /^Annuler le paiement/ }).count()).toBe(0);
    await screenshot(page, 'billing-invoice-paid');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger le PDF' }).click(),
    ]);
    expect(
      readFileSync(await download.path())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
  });

  it("shows the month's statistics per practitioner and payment method, with a chart", async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Statistiques' }).click();
    await page.waitForURL(/\/billing\/stats$/);
    const byMethod = page.getByRole('table', { name: 'Encaissements par mode de paiement' });
    await byMethod.waitFor();
    await expect.poll(() => byMethod.textContent()).toContain('Chèque');
    await page.locator('.recharts-bar-rectangle').first().waitFor();
    await screenshot(page, 'billing-stats');
    // The period's revenue as a PDF, rendered in the background and downloaded once.
    await page.getByRole('button', { name: 'Rapport PDF de la période' }).click();
    const report = page.getByRole('button', { name: /^Télécharger chiffre-affaires-\d{4}-\d{2}\.pdf/ });
    await report.waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), report.click()]);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The accountant has no access to clinical data.
    expect(await apiStatus(page, `/api/v1/patients/${'0'.repeat(8)}-0000-4000-8000-000000000000/summary`)).toBe(403);
    await signOut(page);
  });

  it("an administrator changes an act's fee", async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, account('admin'));
    await page.waitForURL(/\/admin\/users$/);
    await page.getByRole('link', { name: 'Actes et tarifs' }).click();
    await page.getByLabel('Rechercher un acte').fill('deqp');
    const row = page.getByRole('row', { name: /DEQP003/ });
    await row.waitFor();
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    await row.getByRole('button', { name: 'Modifier l’acte DEQP003' }).click();
    const dialog = page.getByRole('dialog', { name: 'Modifier l’acte DEQP003' });
    await dialog.getByLabel(/^Tarif HT/).fill('15,10');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => row.textContent()).toMatch(/15,10\s€/);
    await screenshot(page, 'admin-acts');
    await signOut(page);
  });

  it('an administrator voids the cheque recorded by mistake: it stays listed, the balance is due again', async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, account('admin'));
    await page.waitForURL(/\/admin\/users$/);
    await page.getByRole('link', { name: 'Factures' }).click();
    await page.waitForURL(/\/billing$/);
    await page.goto(`${s.baseUrl}/billing/invoices/${invoiceId}`);
    const title = page.getByRole('heading', { level: 2, name: /Facture F-\d{4}-\d{6}/ });
    await expect.poll(() => title.textContent()).toContain('Payée');
    await page.getByRole('button', { name: /^Annuler le paiement de 20,00\s€ du / }).click();
    const dialog = page.getByRole('dialog', { name: /^Annuler le paiement de 20,00\s€ \?/ });
    await dialog.getByRole('button', { name: 'Annuler ce paiement' }).click();
    await dialog.getByText('Obligatoire').waitFor();
    await dialog.getByLabel(/^Motif/).fill('Chèque revenu impayé');
    await dialog.getByRole('button', { name: 'Annuler ce paiement' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => title.textContent()).toContain('Payée en partie');
    await expect.poll(() => page.getByTestId('balance-due').textContent()).toMatch(/20,00\s€/);
    const payments = page.getByRole('list', { name: 'Paiements' });
    expect(await payments.getByRole('listitem').count()).toBe(2);
    await expect.poll(() => payments.textContent()).toContain('Annulé — Chèque revenu impayé');
    await screenshot(page, 'admin-payment-voided');
    // The server refuses the accountant's attempt.
    await signOut(page);
    await signIn(page, s.baseUrl, account('accountant'));
    await page.waitForURL(/\/billing$/);
    const anyPayment = `${'0'.repeat(8)}-0000-4000-8000-000000000000`;
    expect(
      await apiStatus(page, `/api/v1/invoices/${invoiceId}/payments/${anyPayment}/void`, {
        method: 'POST',
        body: { reason: 'Erreur' },
      }),
    ).toBe(403);
    await signOut(page);
  });

  it("a doctor has the chart's invoices tab but not the accountant's screens", async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, account('doctor'));
    await page.waitForURL(/\/my-day$/); // a doctor lands on their day
    await page.goto(`${s.baseUrl}/patients`);
    await page.goto(`${s.baseUrl}/billing/invoices/${invoiceId}`);
    await page.getByRole('heading', { name: 'Accès refusé' }).waitFor();
    expect(await apiStatus(page, '/api/v1/billing/stats?year=2026')).toBe(403);
    const search = page.getByRole('combobox', { name: /Nom, prénom/ });
    await page.goto(`${s.baseUrl}/patients`);
    await search.pressSequentially('helene dup', { delay: 20 });
    await page
      .getByRole('option', { name: /DUPONT Hélène/ })
      .first()
      .click();
    await page.getByRole('link', { name: 'Factures' }).click();
    const panel = page.locator('.tabs__panel');
    await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toMatch(/F-\d{4}-\d{6}|Aucune facture/);
    await signOut(page);
  });
});
