// SPDX-License-Identifier: Apache-2.0
// axe-core (WCAG 2.1 A and AA rules) on the main screens of each role, in their usual states:
// no serious or critical violation.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { account, openBrowser, signIn, signOut, type BrowserSession } from './support/browser';
import { e2eDescribe } from './support/skip';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function seriousViolations(page: Page, screen: string): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

e2eDescribe('accessibility', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openBrowser({ locale: 'fr-FR', bypassCSP: true });
  });
  afterAll(() => s?.close());

  it('sign-in, with an error shown', async () => {
    const { page } = s;
    await page.goto(`${s.baseUrl}/sign-in`);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Obligatoire').first().waitFor();
    expect(await seriousViolations(page, 'sign-in')).toEqual([]);
  });

  it("the front desk's screens", async () => {
    const { page } = s;
    const found: string[] = [];
    await signIn(page, s.baseUrl, account('secretary'));
    await page.waitForURL(/\/patients$/);
    await page.getByRole('combobox').pressSequentially('mar', { delay: 20 });
    await page.getByRole('option').first().waitFor();
    await page.keyboard.press('ArrowDown');
    found.push(...(await seriousViolations(page, 'patient search')));

    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Sections du dossier' }).waitFor();
    await page.getByRole('heading', { name: 'Identité' }).waitFor();
    found.push(...(await seriousViolations(page, 'chart')));

    await page.getByRole('link', { name: 'Modifier' }).click();
    await page.getByRole('group', { name: 'Identité' }).waitFor();
    found.push(...(await seriousViolations(page, 'edit demographics')));

    await page.goto(`${s.baseUrl}/patients/new`);
    await page.getByRole('button', { name: 'Enregistrer le patient' }).click();
    await page.getByText('Le formulaire contient des erreurs.').waitFor();
    found.push(...(await seriousViolations(page, 'register (with errors)')));

    await page.goto(`${s.baseUrl}/account`);
    await page.getByRole('heading', { name: 'Changer le mot de passe' }).waitFor();
    found.push(...(await seriousViolations(page, 'account')));
    await signOut(page);
    expect(found).toEqual([]);
  });

  it("the administrator's screens", async () => {
    const { page } = s;
    const found: string[] = [];
    await signIn(page, s.baseUrl, account('admin'));
    await page.getByRole('table').waitFor();
    found.push(...(await seriousViolations(page, 'users')));
    await page.getByRole('link', { name: 'Nouvel utilisateur' }).click();
    await page.getByLabel(/^Rôle/).selectOption('patient');
    await page.getByRole('combobox', { name: 'Dossier patient lié' }).waitFor();
    found.push(...(await seriousViolations(page, 'new user')));
    await page.goto(`${s.baseUrl}/admin/audit`);
    await page.getByRole('table').waitFor();
    found.push(...(await seriousViolations(page, 'audit trail')));
    await signOut(page);
    expect(found).toEqual([]);
  });

  it("the patient's screens", async () => {
    const { page } = s;
    const found: string[] = [];
    await signIn(page, s.baseUrl, account('patient', 1));
    await page.getByRole('heading', { name: 'Identité' }).waitFor();
    found.push(...(await seriousViolations(page, 'portal')));
    await page.goto(`${s.baseUrl}/portal/access-log`);
    await page.getByRole('table').waitFor();
    found.push(...(await seriousViolations(page, 'access log')));
    await signOut(page);
    expect(found).toEqual([]);
  });

  it('the scheduling screens', async () => {
    const { page } = s;
    const found: string[] = [];
    // Not doctor #1: the session tests enrol them in TOTP, and files run in any order.
    await signIn(page, s.baseUrl, account('doctor'));
    await page.getByRole('heading', { level: 1, name: 'Ma journée' }).waitFor();
    await page.getByRole('button', { name: /^Notifications/ }).click();
    await page.getByRole('region', { name: 'Notifications', exact: true }).waitFor();
    found.push(...(await seriousViolations(page, 'day view and notifications')));
    await page.goto(`${s.baseUrl}/calendar`);
    const slotsOf = page.getByLabel('Créneaux libres pour');
    await slotsOf.waitFor();
    await slotsOf.selectOption({ index: 1 });
    await page.getByRole('group', { name: /^Agenda de / }).waitFor();
    found.push(...(await seriousViolations(page, 'calendar week')));
    await page.goto(`${s.baseUrl}/schedules`);
    await page.getByRole('heading', { name: 'Types de rendez-vous' }).waitFor();
    await page.getByLabel(/^De$/).first().waitFor();
    found.push(...(await seriousViolations(page, 'schedules')));
    await signOut(page);
    await signIn(page, s.baseUrl, account('patient', 1));
    await page.getByRole('heading', { name: 'Identité' }).waitFor();
    await page.goto(`${s.baseUrl}/portal/appointments`);
    await page.getByRole('heading', { name: 'À venir' }).waitFor();
    found.push(...(await seriousViolations(page, 'portal appointments')));
    await signOut(page);
    expect(found).toEqual([]);
  });
});
