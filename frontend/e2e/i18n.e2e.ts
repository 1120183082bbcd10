// SPDX-License-Identifier: Apache-2.0
// French for a French browser, English for an English one, and the switch in between; dates
// follow the language.
import { afterEach, expect, it } from 'vitest';
import { account, openBrowser, screenshot, signIn, type BrowserSession } from './support/browser';
import { e2eDescribe } from './support/skip';

e2eDescribe('languages', () => {
  let s: BrowserSession | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('speaks French to a French browser', async () => {
    s = await openBrowser({ locale: 'fr-FR' });
    await s.page.goto(`${s.baseUrl}/`);
    await s.page.getByRole('heading', { name: 'Connexion' }).waitFor();
    expect(await s.page.getAttribute('html', 'lang')).toBe('fr');
    await screenshot(s.page, 'sign-in-fr');
  });

  it('speaks (British) English to an English browser, and switches to French and back', async () => {
    s = await openBrowser({ locale: 'en-GB' });
    const { page } = s;
    await page.goto(`${s.baseUrl}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await screenshot(page, 'sign-in-en');

    await signIn(page, s.baseUrl, account('doctor'));
    await page.waitForURL(/\/my-day$/);
    await page.getByRole('heading', { level: 1, name: 'My day' }).waitFor();
    await page.getByRole('link', { name: 'Patients', exact: true }).click();
    await page.getByRole('heading', { name: 'Find a patient' }).waitFor();
    await page.getByRole('combobox').pressSequentially('dupont hel', { delay: 20 });
    await page
      .getByRole('option', { name: /DUPONT Hélène/ })
      .first()
      .click();
    await page.getByText('born 1 January 1938').first().waitFor();
    const tabs = await page.getByRole('navigation', { name: 'Chart sections' }).textContent();
    expect(tabs).toContain('Encounters');
    expect(tabs).toContain('Prescriptions');
    await page.getByRole('heading', { name: 'Recent encounters' }).waitFor();
    await page.getByRole('link', { name: 'Prescriptions' }).click();
    await page.getByLabel('Status').waitFor();
    await screenshot(page, 'chart-en-prescriptions');

    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByText('né(e) le 1 janvier 1938').first().waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('born 1 January 1938').first().waitFor();
  });
});
