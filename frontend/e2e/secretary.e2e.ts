// SPDX-License-Identifier: Apache-2.0
// The front desk's day with what exists: find a patient (accents ignored, keyboard only),
// register one (with the duplicate warning), edit demographics, and meet a concurrent change.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { account, apiStatus, openBrowser, screenshot, signIn, type BrowserSession } from './support/browser';
import { e2eDescribe } from './support/skip';

e2eDescribe('secretary', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openBrowser({ locale: 'fr-FR' });
    await signIn(s.page, s.baseUrl, account('secretary'));
    await s.page.waitForURL(/\/patients$/);
  });
  afterAll(() => s?.close());

  it('finds a patient as they type, accents ignored, and opens the chart from the keyboard', async () => {
    const { page } = s;
    await screenshot(page, 'secretary-home');
    const search = page.getByRole('combobox', { name: /Nom, prénom/ });
    await expect.poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true);
    await search.pressSequentially('helene dup', { delay: 30 });
    const option = page.getByRole('option', { name: /DUPONT Hélène/ });
    await option.waitFor();
    await screenshot(page, 'patient-search');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => search.getAttribute('aria-activedescendant')).toBeTruthy();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: 'DUPONT Hélène' }).waitFor();
    await expect.poll(() => page.getByLabel('Dossier patient').textContent()).toMatch(/MS\d{8}/);
    // Clinical tabs are not the front desk's.
    const tabs = await page.getByRole('navigation', { name: 'Sections du dossier' }).textContent();
    expect(tabs).toContain('Rendez-vous');
    expect(tabs).not.toContain('Ordonnances');
    expect(tabs).not.toContain('Consultations');
  });

  let firstId = '';
  it('registers a patient, then is warned of the duplicate and may register anyway', async () => {
    const { page } = s;
    const fill = async () => {
      await page.goto(`${s.baseUrl}/patients/new`);
      await page.getByLabel(/^Nom d’usage/).fill('Lebrun');
      await page.getByLabel(/^Prénom/).fill('Jeanne');
      await page.getByLabel(/^Sexe/).selectOption('female');
      await page.getByLabel(/^Date de naissance/).fill('1975-03-04');
      await page
        .getByLabel(/^Téléphone/)
        .first()
        .fill('06 12 34 56 78');
      await page.getByLabel(/^Code postal/).fill('69003');
      await page.getByLabel(/^Ville/).fill('Lyon');
    };
    await fill();
    await screenshot(page, 'patient-register');
    await page.getByRole('button', { name: 'Enregistrer le patient' }).click();
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    firstId = page.url().split('/').pop()!;
    await page.getByRole('heading', { level: 1, name: 'LEBRUN Jeanne' }).waitFor();

    await fill();
    await page.getByLabel(/^Prénom/).fill('jeanne');
    await page.getByRole('button', { name: 'Enregistrer le patient' }).click();
    const warning = page.getByRole('alert').filter({ hasText: 'Ce patient existe peut-être déjà' });
    await warning.waitFor();
    expect(await warning.textContent()).toContain('même nom et date de naissance');
    expect(await warning.getByRole('link', { name: 'Ouvrir cette fiche' }).getAttribute('href')).toBe(
      `/patients/${firstId}`,
    );
    await screenshot(page, 'patient-duplicate-warning');

    await warning.getByRole('button', { name: /enregistrer quand même/ }).click();
    await page.waitForURL((url) => /\/patients\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(firstId));
    await page.getByRole('heading', { level: 1, name: 'LEBRUN jeanne' }).waitFor();
  });

  it('edits demographics', async () => {
    const { page } = s;
    await page.goto(`${s.baseUrl}/patients/${firstId}`);
    await page.getByRole('link', { name: 'Modifier' }).click();
    await page.waitForURL(/\/edit$/);
    await page.getByLabel(/^Ville/).fill('Villeurbanne');
    await page.getByLabel(/^Code postal/).fill('69100');
    await screenshot(page, 'patient-edit');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(new RegExp(`/patients/${firstId}$`));
    await page.getByText('69100 Villeurbanne').waitFor();
    await screenshot(page, 'patient-chart');
  });

  it('does not overwrite a change saved meanwhile by someone else (412)', async () => {
    const { page, context } = s;
    const other = await context.newPage();
    await page.goto(`${s.baseUrl}/patients/${firstId}/edit`);
    await other.goto(`${s.baseUrl}/patients/${firstId}/edit`);
    await other.getByLabel(/^Ville/).fill('Lyon 3e');
    await other.getByRole('button', { name: 'Enregistrer' }).click();
    await other.waitForURL(new RegExp(`/patients/${firstId}$`));
    await other.close();

    await page.getByLabel(/^Ville/).fill('Bron');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Modifié par quelqu’un d’autre').waitFor();
    await screenshot(page, 'patient-edit-conflict');
    await page.getByRole('button', { name: 'Recharger la fiche' }).click();
    await expect.poll(() => page.getByLabel(/^Ville/).inputValue()).toBe('Lyon 3e');
  });

  it("cannot reach the administrator's screens or data", async () => {
    const { page } = s;
    await page.goto(`${s.baseUrl}/admin/users`);
    await page.getByRole('heading', { name: 'Accès refusé' }).waitFor();
    expect(await apiStatus(page, '/api/v1/users')).toBe(403);
    expect(await apiStatus(page, '/api/v1/audit')).toBe(403);
    await page.goto(`${s.baseUrl}/patients/${firstId}/prescriptions`);
    await page.getByRole('heading', { name: 'Accès refusé' }).waitFor();
    const nav = await page.getByRole('navigation', { name: 'Navigation principale' }).textContent();
    expect(nav).not.toContain('Utilisateurs');
    expect(nav).not.toContain('Journal d’audit');
  });
});
