// SPDX-License-Identifier: Apache-2.0
// The medical record in the browser: a doctor writes an encounter (SOAP notes, an ICD-10 code
// found by typing, vitals, a prescription), signs it and prints the ordonnance; a nurse records
// vital signs and sees them in the history and on the chart, without the doctor's reasoning.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { account, openBrowser, screenshot, signIn, signOut, type BrowserSession } from './support/browser';
import { e2eDescribe } from './support/skip';

/** Opens the chart of the demo patient with a severe penicillin allergy, from the search. */
async function openFrancoise(page: Page) {
  const search = page.getByRole('combobox', { name: /Nom, prénom/ });
  await search.waitFor();
  await search.pressSequentially('francoise fontaine', { delay: 20 });
  await page
    .getByRole('option', { name: /Françoise/ })
    .first()
    .click();
  await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { level: 1, name: /Françoise/ }).waitFor();
  return page.url().split('/').pop()!;
}

e2eDescribe('medical record', () => {
  let s: BrowserSession;
  let patientId = '';
  let encounterUrl = '';
  beforeAll(async () => {
    s = await openBrowser({ locale: 'fr-FR' });
  });
  afterAll(() => s?.close());

  it('a doctor sees the allergies in the banner and the clinical summary', async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, account('doctor'));
    await page.waitForURL(/\/my-day$/); // a doctor lands on their day
    await page.goto(`${s.baseUrl}/patients`);
    patientId = await openFrancoise(page);
    const allergies = page.getByTestId('banner-allergies');
    await allergies.getByText('Pénicilline').waitFor();
    expect(await allergies.textContent()).toContain('sévère');
    await page.getByRole('heading', { name: 'Dernières consultations' }).waitFor();
    await page.getByRole('heading', { name: 'Dernières constantes' }).waitFor();
    await screenshot(page, 'chart-summary');
  });

  it('writes an encounter with SOAP notes, an ICD-10 code, vitals and a prescription, and signs it', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Consultations' }).click();
    await page.getByRole('link', { name: 'Nouvelle consultation' }).click();
    await page.getByLabel(/^Motif/).fill('Toux fébrile depuis trois jours');
    await page.getByLabel(/^Subjectif/).fill('Toux sèche, fièvre à 38,5 °C le soir.');
    await page.getByLabel(/^Objectif/).fill('Auscultation : quelques râles à la base droite.');
    await page.getByLabel(/^Appréciation/).fill('Bronchite aiguë probable.');
    await page.getByLabel(/^Plan/).fill('Traitement symptomatique, revoir si persistance.');

    const icd = page.getByRole('combobox', { name: /Ajouter un diagnostic/ });
    await icd.pressSequentially('bronchite aig', { delay: 30 });
    const option = page.getByRole('option', { name: /J20/ }).first();
    await option.waitFor();
    await screenshot(page, 'encounter-icd10-search');
    await option.click();
    const diagnoses = page.getByRole('list', { name: 'Diagnostics' });
    await diagnoses.getByText(/J20/).first().waitFor();

    await page.getByRole('button', { name: 'Ajouter un médicament' }).click();
    await page.getByLabel(/^Médicament/).fill('Paracétamol 1 g');
    await page.getByLabel(/^Dose/).fill('1 comprimé');
    await page.getByLabel(/^Fréquence/).fill('jusqu’à 3 fois par jour');
    await page.getByLabel(/^Durée/).fill('5 jours');
    await screenshot(page, 'encounter-form');
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await page.waitForURL(/\/encounters\/[0-9a-f-]{36}$/);
    encounterUrl = page.url();

    // Vitals taken during the consultation, linked to it.
    const vitals = page.getByRole('form', { name: 'Saisir des constantes' });
    await vitals.waitFor();
    await vitals.getByLabel(/^Systolique/).fill('128');
    await vitals.getByLabel(/^Diastolique/).fill('79');
    await vitals.getByLabel(/^Température/).fill('38,2');
    await vitals.getByRole('button', { name: 'Enregistrer les constantes' }).click();
    await page.getByText('Constantes enregistrées.').waitFor();

    await page.getByRole('button', { name: 'Signer', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Signer la consultation ?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Signer', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Toux fébrile depuis trois jours' }).waitFor();
    await page.getByText(/^Signée le /).waitFor();
    await expect.poll(() => page.getByRole('heading', { name: 'Ordonnance' }).count()).toBe(1);
    await page.getByText('Paracétamol 1 g').waitFor();
    // Signed: nothing left to edit.
    expect(await page.getByRole('button', { name: 'Enregistrer le brouillon' }).count()).toBe(0);
    await screenshot(page, 'encounter-signed');
  });

  it('prints the prescription as a PDF', async () => {
    const { page } = s;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Imprimer l’ordonnance (PDF)' }).click(),
    ]);
    const path = await download.path();
    expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  });

  it('lists the signed encounter among the patient’s encounters', async () => {
    const { page } = s;
    await page.goto(`${s.baseUrl}/patients/${patientId}/encounters`);
    const row = page.getByRole('row', { name: /Toux fébrile/ });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('Signée');
    await screenshot(page, 'encounters-list');
    await signOut(page);
  });

  it('a nurse records vital signs and sees them in the history and on the chart', async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, account('nurse'));
    await page.waitForURL(/\/patients$/);
    await openFrancoise(page);
    await page.getByRole('link', { name: 'Constantes' }).click();
    const form = page.getByRole('form', { name: 'Saisir des constantes' });
    await form.waitFor();
    await form.getByLabel(/^Poids/).fill('61,4');
    await form.getByLabel(/^Taille/).fill('164');
    await expect.poll(() => form.locator('output').textContent()).toMatch(/22,8\s*kg\/m²/);
    await form.getByLabel(/^Fréquence cardiaque/).fill('71');
    await form.getByLabel(/^Observation/).fill('Patiente calme, bonne observance.');
    await form.getByRole('button', { name: 'Enregistrer les constantes' }).click();
    await page.getByText('Constantes enregistrées.').waitFor();
    const history = page.getByRole('table', { name: 'Historique des constantes' });
    await history.getByText('Patiente calme, bonne observance.').waitFor();
    await expect.poll(() => history.textContent()).toContain('61,4 kg');

    await page.getByRole('radio', { name: 'Poids' }).check();
    await page.locator('.recharts-line-curve').first().waitFor();
    await screenshot(page, 'vitals-chart');
  });

  it('a nurse records an allergy and the banner shows it at once', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Synthèse' }).click();
    const form = page.getByRole('form', { name: 'Ajouter une allergie' });
    await form.waitFor();
    await form.getByLabel(/^Substance/).fill('Latex');
    await form.getByLabel(/^Réaction/).fill('Eczéma de contact');
    await form.getByLabel(/^Sévérité/).selectOption('mild');
    await form.getByRole('button', { name: 'Ajouter une allergie' }).click();
    await page.getByText('Allergie enregistrée.').waitFor();
    await page.getByTestId('banner-allergies').getByText('Latex').waitFor();
    // The problem list is the doctors': a nurse reads it but adds nothing.
    await page.getByRole('heading', { name: 'Liste des problèmes' }).waitFor();
    expect(await page.getByRole('combobox', { name: /Ajouter un problème/ }).count()).toBe(0);
  });

  it("a nurse reads the signed encounter without the doctor's reasoning", async () => {
    const { page } = s;
    await page.goto(encounterUrl);
    await page.getByRole('heading', { level: 2, name: 'Toux fébrile depuis trois jours' }).waitFor();
    await page.getByText('Paracétamol 1 g').waitFor();
    await page.getByText('Traitement symptomatique, revoir si persistance.').waitFor();
    expect(await page.getByText('Bronchite aiguë probable.').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Ajouter un avenant' }).count()).toBe(0);
    await signOut(page);
  });
});
