// SPDX-License-Identifier: Apache-2.0
// Debian's Chromium through playwright-core: a fresh profile per session, a French or English
// browser, helpers to sign in and out, and screenshots of the main screens.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { expectOnRunClock, nowMs } from './clock';
import { chromiumPath, screenshotDir } from './environment';
import type { DemoAccount } from './server';

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  baseUrl: string;
  close: () => Promise<void>;
}

export async function openBrowser({
  locale = 'fr-FR',
  baseUrl = inject('baseUrl'),
  viewport = { width: 1280, height: 860 },
  bypassCSP = false,
}: {
  locale?: string;
  baseUrl?: string;
  viewport?: { width: number; height: number };
  /** Only for injecting the accessibility checker; the application itself runs under the CSP. */
  bypassCSP?: boolean;
} = {}): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'medisecure-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    locale,
    viewport,
    bypassCSP,
    timezoneId: 'Europe/Paris',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--lang=${locale}`,
    ],
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  // The page lives on the run's clock, as the server does; time flows on from there.
  if (inject('clockOffsetMs') !== 0) {
    await context.clock.install({ time: nowMs() });
    await page.goto(`${baseUrl}/health/live`);
    expectOnRunClock('the browser', await page.evaluate(() => Date.now()), inject('clockOffsetMs'));
  }
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    context,
    page,
    baseUrl,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      if (errors.length) throw new Error(`uncaught errors in the page:\n${errors.join('\n')}`);
    },
  };
}

export function account(role: string, index = 0): DemoAccount {
  const found = inject('accounts').filter((a) => a.role === role)[index];
  if (!found) throw new Error(`no demo account for ${role} #${index}`);
  return found;
}

/** Signs in through the sign-in screen in French or English. */
export async function signIn(page: Page, baseUrl: string, who: DemoAccount, { password = who.password } = {}) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel(/^(Adresse e-mail|E-mail address)/).fill(who.email);
  await page.getByLabel(/^(Mot de passe|Password)/).fill(password);
  await page.getByRole('button', { name: /^(Se connecter|Sign in)$/ }).click();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: /^(Se déconnecter|Sign out)$/ }).click();
  await page.waitForURL(/\/sign-in$/);
}

/** A screenshot for people (e2e-output/screenshots); a few are copied to docs/screenshots. */
export async function screenshot(page: Page, name: string) {
  // Let toasts and focus rings settle so the picture shows the screen as a person sees it.
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** A request made from the page, with its cookies, as the application would make it. */
export async function apiStatus(page: Page, path: string, init: { method?: string; body?: unknown } = {}) {
  return page.evaluate(
    async ({ path, init }) => {
      const res = await fetch(path, {
        method: init.method ?? 'GET',
        credentials: 'same-origin',
        headers: init.body ? { 'Content-Type': 'application/json' } : {},
        body: init.body ? JSON.stringify(init.body) : undefined,
      });
      return res.status;
    },
    { path, init },
  );
}
