// SPDX-License-Identifier: Apache-2.0
// The administrator: creates an account (temporary password shown once, and it works), links a
// patient-portal account to its record, resets a password, reads the audit trail with filters.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { account, apiStatus, openBrowser, screenshot, signIn, signOut, type BrowserSession } from './support/browser';
import { e2eDescribe } from './support/skip';

e2eDescribe('admin', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openBrowser({ locale: 'fr-FR' });
    await signIn(s.page, s.baseUrl, account('admin'));
    await s.page.waitForURL(/\/admin\/users$/);
  });
  afterAll(() => s?.close());

  let temporary = '';
  it('creates a user and sees the temporary password once', async () => {
    const { page } = s;
    await page.getByRole('table').waitFor();
    expect(await page.getByRole('table').textContent()).toContain('accueil.dupont@cabinet-demo.fr');
    await screenshot(page, 'admin-users');
    await page.getByRole('link', { name: 'Nouvel utilisateur' }).click();
    await page.getByLabel(/^E-mail/).fill('camille.petit@cabinet-demo.fr');
    await page.getByLabel(/^Nom affiché/).fill('Camille Petit');
    await page.getByLabel(/^Rôle/).selectOption('nurse');
    await page.getByRole('button', { name: 'Créer l’utilisateur' }).click();
    const dialog = page.getByRole('dialog', { name: 'Mot de passe temporaire' });
    await dialog.waitFor();
    temporary = (await dialog.getByTestId('temporary-password').textContent())!.trim();
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    await screenshot(page, 'admin-user-temporary-password');
    await dialog.getByRole('button', { name: 'J’ai noté le mot de passe' }).click();
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Compte de Camille Petit' }).waitFor();
    expect(await page.getByTestId('temporary-password').count()).toBe(0);
  });

  it('links a patient-portal account to the patient record found by name', async () => {
    const { page } = s;
    await page.goto(`${s.baseUrl}/admin/users/new`);
    await page.getByLabel(/^E-mail/).fill('marie-helene.andre@exemple-demo.fr');
    await page.getByLabel(/^Nom affiché/).fill('Marie-Hélène André');
    await page.getByLabel(/^Rôle/).selectOption('patient');
    await page.getByRole('combobox', { name: 'Dossier patient lié' }).pressSequentially('andre marie', { delay: 20 });
    await page
      .getByRole('option', { name: /ANDRÉ Marie-Hélène/ })
      .first()
      .click();
    await page.getByText(/Patient lié : ANDRÉ Marie-Hélène/).waitFor();
    await page.getByRole('button', { name: 'Créer l’utilisateur' }).click();
    await page.getByRole('dialog', { name: 'Mot de passe temporaire' }).getByRole('button').last().click();
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
    expect(await page.getByText(/Patient lié/).textContent()).toMatch(/[0-9a-f-]{36}/);
  });

  it('resets a password, showing the new temporary password once', async () => {
    const { page } = s;
    await page.goto(`${s.baseUrl}/admin/users?`);
    await page.getByLabel('E-mail commençant par').fill('camille');
    await page.getByRole('link', { name: 'Camille Petit' }).click();
    await page.getByRole('button', { name: 'Réinitialiser le mot de passe' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirmer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Mot de passe temporaire' });
    await dialog.waitFor();
    const next = (await dialog.getByTestId('temporary-password').textContent())!.trim();
    expect(next).not.toBe(temporary);
    temporary = next;
    await dialog.getByRole('button').last().click();
  });

  it('reads the audit trail, filtered by action', async () => {
    const { page } = s;
    await page.goto(`${s.baseUrl}/admin/audit`);
    await page.getByRole('table').waitFor();
    await page.getByLabel('Action').selectOption('user.create');
    await page.getByRole('button', { name: 'Appliquer' }).click();
    await page.waitForURL(/action=user\.create/);
    await expect
      .poll(async () => (await page.getByRole('row').allTextContents()).slice(1))
      .toEqual(expect.arrayContaining([expect.stringContaining('Création d’utilisateur')]));
    const rows = (await page.getByRole('row').allTextContents()).slice(1);
    expect(rows.every((r) => r.includes('Création d’utilisateur'))).toBe(true);
    await screenshot(page, 'admin-audit');
  });

  it("cannot reach the clinical staff's screens or the portal", async () => {
    const { page } = s;
    for (const path of ['/patients', '/patients/new', '/portal']) {
      await page.goto(`${s.baseUrl}${path}`);
      await page.getByRole('heading', { name: 'Accès refusé' }).waitFor();
    }
    const nav = await page.getByRole('navigation', { name: 'Navigation principale' }).textContent();
    expect(nav).not.toContain('Patients');
  });

  it('the new user signs in with the temporary password', async () => {
    const { page } = s;
    await signOut(page);
    await signIn(page, s.baseUrl, { role: 'nurse', email: 'camille.petit@cabinet-demo.fr', password: temporary });
    await page.waitForURL(/\/patients$/);
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('Camille Petit');
    expect(await apiStatus(page, '/api/v1/audit')).toBe(403);
  });
});
