// SPDX-License-Identifier: Apache-2.0
// Each role lands on its own screen and sees only its own navigation; the others' addresses
// answer "access denied" and the others' data is refused by the server.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { account, apiStatus, openBrowser, screenshot, signIn, signOut, type BrowserSession } from './support/browser';
import { e2eDescribe } from './support/skip';

const cases = [
  {
    role: 'doctor',
    home: /\/my-day$/,
    nav: ['Ma journée', 'Agenda', 'Patients', 'Nouveau patient', 'Plannings', 'Mon compte'],
    denied: ['/admin/users', '/admin/audit', '/portal', '/billing'],
    refused: ['/api/v1/users', '/api/v1/audit'],
  },
  {
    role: 'nurse',
    home: /\/patients$/,
    nav: ['Agenda', 'Patients', 'Nouveau patient', 'Mon compte'],
    denied: ['/admin/users', '/portal', '/billing'],
    refused: ['/api/v1/users', '/api/v1/audit'],
  },
  {
    role: 'accountant',
    home: /\/billing$/,
    nav: ['Factures', 'Statistiques', 'Mon compte'],
    denied: ['/patients', '/patients/new', '/admin/users', '/portal'],
    refused: ['/api/v1/users', '/api/v1/audit'],
  },
];

e2eDescribe('roles', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openBrowser({ locale: 'fr-FR', viewport: { width: 820, height: 1180 } });
  });
  afterAll(() => s?.close());

  for (const c of cases) {
    it(`${c.role}: own screens only`, async () => {
      const { page } = s;
      await signIn(page, s.baseUrl, account(c.role));
      await page.waitForURL(c.home);
      const nav = page.getByRole('navigation', { name: 'Navigation principale' });
      // The shell renders once the signed-in user is known, which may follow the address change.
      await nav.getByRole('link', { name: 'Mon compte' }).waitFor();
      expect((await nav.getByRole('link').allTextContents()).map((t) => t.trim())).toEqual(c.nav);
      if (c.role === 'accountant') await screenshot(page, 'accountant-billing-tablet');
      for (const path of c.denied) {
        await page.goto(`${s.baseUrl}${path}`);
        await page.getByRole('heading', { name: 'Accès refusé' }).waitFor();
      }
      for (const path of c.refused) expect(await apiStatus(page, path)).toBe(403);
      await signOut(page);
    });
  }

  it('a nurse sees the vitals tab; a tablet shows the chart without horizontal scrolling', async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, account('nurse'));
    await page.waitForURL(/\/patients$/);
    await page.getByRole('combobox').pressSequentially('theo', { delay: 20 });
    await page.getByRole('option').first().click();
    await page.getByRole('heading', { name: 'Identité' }).waitFor();
    const tabs = await page.getByRole('navigation', { name: 'Sections du dossier' }).textContent();
    expect(tabs).toContain('Constantes');
    expect(tabs).not.toContain('Ordonnances');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'chart-tablet');
    await signOut(page);
  });
});
