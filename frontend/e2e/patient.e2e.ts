// SPDX-License-Identifier: Apache-2.0
// The patient portal: one's own record, contact details, and who accessed the record; another
// patient's record answers 404, and staff screens are out of reach.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { account, apiStatus, openBrowser, screenshot, signIn, signOut, type BrowserSession } from './support/browser';
import { e2eDescribe } from './support/skip';

e2eDescribe('patient portal', () => {
  let s: BrowserSession;
  let someoneElse = '';
  beforeAll(async () => {
    s = await openBrowser({ locale: 'fr-FR' });
    // A secretary opens the patient's record first: that access must show in the patient's log.
    await signIn(s.page, s.baseUrl, account('secretary', 1));
    await s.page.waitForURL(/\/patients$/);
    await s.page.getByRole('combobox').pressSequentially('dupont helene', { delay: 20 });
    await s.page
      .getByRole('option', { name: /DUPONT Hélène/ })
      .first()
      .click();
    await s.page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
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

  it('sees their own record', async () => {
    const { page } = s;
    await page.getByRole('heading', { level: 1, name: 'Mon dossier' }).waitFor();
    await page.getByText('DUPONT Hélène').first().waitFor();
    expect(await page.getByLabel('Dossier patient').textContent()).toMatch(/MS\d{8}/);
    await screenshot(page, 'portal-record');
  });

  it('changes their contact details, and only those', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Modifier' }).click();
    await page.waitForURL(/\/portal\/contact$/);
    expect(await page.getByLabel(/^Nom d’usage/).count()).toBe(0);
    const phone = page.getByRole('group', { name: 'Coordonnées' }).getByLabel(/^Téléphone/);
    await phone.fill('+33 6 98 76 54 32');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Vos coordonnées ont été enregistrées.').waitFor();
    await page.goto(`${s.baseUrl}/portal`);
    await page.getByText('+33 6 98 76 54 32').waitFor();
  });

  it('sees who accessed the record', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Accès à mon dossier' }).click();
    await page.getByRole('table').waitFor();
    const rows = await page.getByRole('row').allTextContents();
    expect(rows.some((r) => r.includes('Secrétaire') && r.includes('Consultation du dossier'))).toBe(true);
    await screenshot(page, 'portal-access-log');
  });

  it("reaches neither another patient's record nor the staff screens", async () => {
    const { page } = s;
    expect(await apiStatus(page, `/api/v1/patients/${someoneElse}`)).toBe(404);
    expect(await apiStatus(page, `/api/v1/patients/${someoneElse}/access-log`)).toBe(404);
    expect(await apiStatus(page, '/api/v1/patients?q=dupont')).toBe(403);
    for (const path of ['/patients', `/patients/${someoneElse}`, '/admin/audit']) {
      await page.goto(`${s.baseUrl}${path}`);
      await page.getByRole('heading', { name: 'Accès refusé' }).waitFor();
    }
  });
});
