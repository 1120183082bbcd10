// SPDX-License-Identifier: Apache-2.0
// The session's life: TOTP enrolment and sign-in with the second factor, lockout after repeated
// failures, a refresh that loses nothing, re-sign-in over an open form, forced enrolment.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { account, openBrowser, screenshot, signIn, signOut, type BrowserSession } from './support/browser';
import { startServer, type RunningServer } from './support/server';
import { e2eDescribe } from './support/skip';
import { totpCode } from './support/totp';

e2eDescribe('session', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openBrowser({ locale: 'fr-FR' });
  });
  afterAll(() => s?.close());

  it('enrols a second factor, then signs in with it', async () => {
    const { page } = s;
    const doctor = account('doctor', 1);
    await signIn(page, s.baseUrl, doctor);
    await page.waitForURL(/\/my-day$/);
    await page.getByRole('link', { name: 'Mon compte' }).click();
    await page.getByRole('button', { name: 'Activer la double authentification' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
    await screenshot(page, 'account-totp-enrolment');
    await page.getByLabel(/^Code de vérification/).fill(totpCode(secret));
    await page.getByRole('button', { name: 'Activer', exact: true }).click();
    await page.getByText('Activée', { exact: true }).waitFor();

    await signOut(page);
    await signIn(page, s.baseUrl, doctor);
    const code = page.getByLabel(/^Code de vérification/);
    await code.waitFor();
    await screenshot(page, 'sign-in-totp');
    await code.fill('000000');
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.getByText('Code incorrect ou déjà utilisé.').waitFor();
    // The code of the enrolment was used: the next step's code is accepted (±1 step).
    await code.fill(totpCode(secret, 1));
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.waitForURL(/\/my-day$/);
    await signOut(page);
  });

  it('locks an account after repeated failures and says for how long', async () => {
    const { page } = s;
    const nurse = account('nurse', 1);
    for (let i = 0; i < 5; i++) {
      await signIn(page, s.baseUrl, nurse, { password: `wrong password ${i}` });
      await page.getByRole('alert').waitFor();
    }
    await signIn(page, s.baseUrl, nurse);
    await page.getByText(/Trop de tentatives\. Réessayez dans \d+ min\./).waitFor();
    await screenshot(page, 'sign-in-locked');
  });

  it('refreshes an expired access token without losing the form being typed', async () => {
    const { page, context } = s;
    await signIn(page, s.baseUrl, account('secretary'));
    await page.waitForURL(/\/patients$/);
    await page.getByRole('combobox').pressSequentially('rousseau', { delay: 20 });
    await page.getByRole('option').first().click();
    await page.getByRole('link', { name: 'Modifier' }).click();
    await page.getByLabel(/^Ville/).fill('Nantes');

    // The access token is gone (as when it expires): the save refreshes the session and goes on.
    await context.clearCookies({ name: 'ms_access' });
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    await page
      .getByText(/Nantes/)
      .first()
      .waitFor();

    // Now the whole session ends while a form is open: sign in again over it, nothing is lost.
    await page.getByRole('link', { name: 'Modifier' }).click();
    await page.getByLabel(/^Ville/).fill('Saint-Nazaire');
    await context.clearCookies();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Session expirée' });
    await dialog.waitFor();
    await screenshot(page, 'session-expired-dialog');
    await dialog.getByLabel(/^Mot de passe/).fill(account('secretary').password);
    await dialog.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    await page
      .getByText(/Saint-Nazaire/)
      .first()
      .waitFor();
    await signOut(page);
  });

  it('signing out in one tab signs out the others', async () => {
    const { page, context } = s;
    await signIn(page, s.baseUrl, account('doctor', 2));
    await page.waitForURL(/\/my-day$/);
    const other = await context.newPage();
    await other.goto(`${s.baseUrl}/account`);
    await other.getByRole('heading', { name: 'Mon compte' }).waitFor();
    await signOut(page);
    await other.waitForURL(/\/sign-in/);
    await other.close();
  });
});

e2eDescribe('forced second-factor enrolment', () => {
  let server: RunningServer;
  let s: BrowserSession;
  beforeAll(async () => {
    server = await startServer(inject('clockOffsetMs'), { MEDISECURE_TOTP_REQUIRED_FOR_ADMINS: 'true' });
    s = await openBrowser({ locale: 'fr-FR', baseUrl: server.baseUrl });
  });
  afterAll(async () => {
    await s?.close();
    await server?.stop();
  });

  it('an administrator must enrol before anything else', async () => {
    const { page } = s;
    const admin = server.accounts.find((a) => a.role === 'admin')!;
    await signIn(page, server.baseUrl, admin);
    await page.waitForURL(/\/enrol$/);
    await page.getByRole('heading', { name: 'Sécurisez votre compte' }).waitFor();
    // Straight to another screen: sent back to enrolment.
    await page.goto(`${server.baseUrl}/admin/users`);
    await page.waitForURL(/\/enrol$/);
    await page.getByRole('button', { name: 'Activer la double authentification' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
    await screenshot(page, 'forced-totp-enrolment');
    await page.getByLabel(/^Code de vérification/).fill(totpCode(secret));
    await page.getByRole('button', { name: 'Activer', exact: true }).click();
    await page.waitForURL(/\/admin\/users$/);
    await page.getByRole('table').waitFor();
    expect(await page.getByRole('table').textContent()).toContain(admin.email);
  });
});
