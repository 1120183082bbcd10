// SPDX-License-Identifier: Apache-2.0
// Scheduling end to end: the front desk books a patient from a free slot of the calendar, moves
// the appointment and checks the patient in; the doctor finds it in their day and opens the
// chart; roles without a calendar are refused it.
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { account, openBrowser, screenshot, signIn, signOut, type BrowserSession } from './support/browser';
import { nowMs, weekdaysAhead } from './support/clock';
import { e2eDescribe } from './support/skip';

e2eDescribe('scheduling', () => {
  let s: BrowserSession;
  // Distinct weekdays four weeks ahead: past the demo practice's appointments (a week around
  // today) and absences (the next three weeks), within the portal's 90 days. The demo data never
  // decides which appointment a locator finds, whatever the date the suite runs on.
  const [day, later, notified] = weekdaysAhead(28, 3) as [string, string, string];
  const absent = weekdaysAhead(35)[0]!;
  const patient = account('patient', 2); // Françoise de La Fontaine, not used by the other files
  const doctor = account('doctor', 2); // Dr Benali
  const patientLabel = /DE LA FONTAINE Françoise/i;

  beforeAll(async () => {
    s = await openBrowser({ locale: 'fr-FR' });
  });
  afterAll(() => s?.close());
  // Each step signs in afresh, even when the one before stopped half-way.
  beforeEach(() => s.context.clearCookies());

  it('the front desk books from a free slot, reschedules, and checks the patient in', async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, account('secretary', 1));
    await page.waitForURL(/\/patients$/);
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Agenda' }).click();
    await page.waitForURL(/\/calendar/);
    const practitioner = page.getByLabel('Praticien', { exact: true });
    await practitioner.waitFor();
    const benali = await page.locator('#cal-practitioner option', { hasText: 'Benali' }).getAttribute('value');
    await practitioner.selectOption(benali);
    await page.getByLabel('Date', { exact: true }).fill(day);
    await page.getByRole('button', { name: 'Jour', exact: true }).click();
    const slotsOf = page.getByLabel('Créneaux libres pour');
    const firstType = await slotsOf.locator('option').nth(1).getAttribute('value');
    await slotsOf.selectOption(firstType);
    const free = page.getByRole('button', { name: /^Libre \d/ });
    await free.first().waitFor();
    await screenshot(page, 'calendar-day-free-slots');
    await free.first().click();

    const dialog = page.getByRole('dialog', { name: 'Nouveau rendez-vous' });
    await dialog.waitFor();
    await dialog.getByRole('combobox', { name: /^Patient/ }).pressSequentially('fontaine', { delay: 30 });
    await dialog.getByRole('option', { name: patientLabel }).click();
    await dialog.getByText(/Patient : /).waitFor();
    await expect.poll(() => dialog.getByLabel(/^Créneau/).inputValue()).not.toBe('');
    await dialog.getByRole('button', { name: 'Réserver' }).click();
    await page.getByText('Rendez-vous réservé.').waitFor();

    const booked = page.getByRole('button', { name: /DE LA FONTAINE Françoise.*Réservé$/i });
    await booked.waitFor();
    const before = (await booked.textContent())!.split(' ')[0];
    await page.getByRole('button', { name: 'Semaine', exact: true }).click();
    await booked.waitFor();
    await screenshot(page, 'calendar-week');

    // The same patient at the same time with another doctor: booked, with the overlap warning.
    await page.getByRole('button', { name: 'Nouveau rendez-vous' }).click();
    await dialog.waitFor();
    await dialog.getByRole('combobox', { name: /^Patient/ }).pressSequentially('fontaine', { delay: 30 });
    await dialog.getByRole('option', { name: patientLabel }).click();
    const lefevre = await dialog.locator('option', { hasText: 'Lefèvre' }).getAttribute('value');
    await dialog.getByLabel(/^Praticien/).selectOption(lefevre ?? '');
    await dialog.getByLabel(/^Jour/).fill(day);
    await dialog.getByLabel(/^Créneau/).selectOption('other');
    await dialog.getByLabel(/^Heure/).fill(before!);
    await dialog.getByRole('button', { name: 'Réserver' }).click();
    const warning = page.getByRole('dialog', { name: 'Rendez-vous réservé' });
    await warning.getByText('Le patient a un autre rendez-vous à ce moment-là.').waitFor();
    await screenshot(page, 'calendar-overlap-warning');
    await warning.getByRole('button', { name: 'Fermer' }).click();

    // Reschedule to another free slot of the same day.
    await booked.click();
    const details = page.getByRole('dialog', { name: 'Rendez-vous' });
    await details.getByRole('button', { name: 'Déplacer' }).click();
    const slot = details.getByLabel(/^Créneau/);
    await expect.poll(() => slot.locator('option').count()).toBeGreaterThan(3);
    const target = await slot.locator('option').nth(2).getAttribute('value');
    await slot.selectOption(target);
    await details.getByRole('button', { name: 'Déplacer' }).click();
    await page.getByText('Rendez-vous déplacé.').waitFor();
    await details.getByRole('button', { name: 'Fermer' }).click();
    const moved = page.getByRole('button', { name: /DE LA FONTAINE Françoise.*Réservé$/i });
    await expect.poll(async () => (await moved.textContent())?.split(' ')[0]).not.toBe(before);

    // Check in.
    await moved.click();
    await details.getByRole('button', { name: 'Enregistrer l’arrivée' }).click();
    await page.getByText('Arrivée enregistrée.').waitFor();
    await details.getByText('Arrivé', { exact: true }).waitFor();
    await screenshot(page, 'calendar-appointment-checked-in');
    await details.getByRole('button', { name: 'Fermer' }).click();
    await page.getByRole('button', { name: /DE LA FONTAINE Françoise.*Arrivé$/i }).waitFor();
    await signOut(page);
  });

  it('the doctor sees it in the day view and opens the chart from there', async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, doctor);
    await page.waitForURL(/\/my-day/);
    await page.getByRole('heading', { level: 1, name: 'Ma journée' }).waitFor();
    // English renders too (and the choice is put back for the next steps).
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'My day' }).waitFor();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Calendar' }).waitFor();
    await page.getByRole('button', { name: 'Next day' }).waitFor();
    await screenshot(page, 'doctor-day-en');
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ma journée' }).waitFor();
    await page.goto(`${s.baseUrl}/my-day?date=${day}`);
    const row = page
      .getByRole('listitem')
      .filter({ hasText: 'Arrivé' })
      .filter({ hasText: /DE LA FONTAINE/i });
    await row.waitFor();
    await screenshot(page, 'doctor-day');
    await row.getByRole('link', { name: patientLabel }).click();
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: patientLabel }).waitFor();
    await page.getByRole('link', { name: 'Rendez-vous' }).click();
    await page.getByRole('heading', { name: 'À venir' }).waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Arrivé' }).first().waitFor();
    await signOut(page);
  });

  it('the patient sees it in the portal, books online, cancels, and is told why a late slot is refused', async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, patient);
    await page.waitForURL(/\/portal$/);
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Mes rendez-vous' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Mes rendez-vous' }).waitFor();
    const dayText = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'full', timeZone: 'UTC' }).format(
      new Date(`${day}T12:00:00Z`),
    );
    // The appointment the front desk booked and checked in.
    await page.getByRole('listitem').filter({ hasText: dayText }).filter({ hasText: 'Arrivé' }).waitFor();

    const openBooking = async () => {
      await page.getByRole('button', { name: 'Prendre rendez-vous' }).click();
      const dialog = page.getByRole('dialog', { name: 'Prendre rendez-vous' });
      await dialog.getByLabel(/^Jour/).fill(later);
      const slot = dialog.getByLabel(/^Créneau/);
      await expect.poll(() => slot.locator('option').count(), { timeout: 15_000 }).toBeGreaterThan(1);
      return { dialog, slot };
    };

    const { dialog, slot } = await openBooking();
    // Only the slots offered online: no "another time" for patients.
    expect(await slot.locator('option', { hasText: 'Autre heure' }).count()).toBe(0);
    const practitionerName = (await dialog
      .getByLabel(/^Praticien/)
      .locator('option:checked')
      .textContent())!.trim();
    const option = slot.locator('option').nth(1);
    const time = (await option.textContent())!.trim();
    await slot.selectOption((await option.getAttribute('value')) ?? '');
    await screenshot(page, 'portal-book');
    await dialog.getByRole('button', { name: 'Réserver' }).click();
    await page.getByText('Rendez-vous réservé.').waitFor();
    const laterDay = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'full', timeZone: 'UTC' }).format(
      new Date(`${later}T12:00:00Z`),
    );
    const mine = page
      .getByRole('listitem')
      .filter({ hasText: `${laterDay} à ${time}` })
      .filter({ hasText: practitionerName });
    await mine.filter({ hasText: 'Réservé' }).waitFor();
    await screenshot(page, 'portal-appointments');

    await mine.getByRole('button', { name: /^Annuler/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Annuler le rendez-vous' });
    await confirm.getByLabel(/^Motif/).fill('Empêchement');
    await confirm.getByRole('button', { name: 'Oui, annuler' }).click();
    await page.getByText('Rendez-vous annulé.').waitFor();
    await mine.filter({ hasText: 'Annulé' }).waitFor();

    // A slot list left open too long: the slot offered is now inside the notice period, and the
    // server's refusal is shown next to the field, in words.
    const soon = new Date(nowMs() + 2 * 3600_000);
    soon.setUTCSeconds(0, 0);
    const soonStart = soon.toISOString().replace('.000Z', 'Z');
    await page.route('**/api/v1/practitioners/*/availability*', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { slots: { start: string; end: string }[] };
      body.slots.unshift({ start: soonStart, end: new Date(soon.getTime() + 20 * 60_000).toISOString() });
      await route.fulfill({ response, json: body });
    });
    const late = await openBooking();
    await late.slot.selectOption(soonStart);
    await late.dialog.getByRole('button', { name: 'Réserver' }).click();
    const fieldError = late.dialog.getByText(/La réservation en ligne ferme 24 heures avant le rendez-vous/);
    await fieldError.waitFor();
    expect(await late.slot.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'portal-book-too-soon');
    await page.unroute('**/api/v1/practitioners/*/availability*');
    await late.dialog.getByRole('button', { name: 'Annuler' }).click();
    await signOut(page);
  });

  it("an appointment booked by the front desk appears live in the patient's notification area", async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, patient);
    await page.waitForURL(/\/portal$/);
    const bell = page.getByRole('button', { name: /^Notifications, \d+ non lue/ });
    await bell.waitFor();
    const unreadBefore = Number((await bell.getAttribute('aria-label'))!.match(/\d+/)![0]);
    const patientId = await page.evaluate(async () => {
      const me = (await (await fetch('/api/v1/auth/me')).json()) as { patient_id: string };
      return me.patient_id;
    });

    const desk = await openBrowser({ locale: 'fr-FR' });
    try {
      await signIn(desk.page, desk.baseUrl, account('secretary', 1));
      await desk.page.waitForURL(/\/patients$/);
      const status = await desk.page.evaluate(
        async ({ patientId, date }) => {
          const json = async (r: Response) => (await r.json()) as unknown;
          const { items } = (await json(await fetch('/api/v1/practitioners'))) as {
            items: { id: string; display_name: string; appointment_types: { id: string }[] }[];
          };
          const p = items.find((x) => x.display_name.includes('Benali'))!;
          const type = p.appointment_types[0]!.id;
          const next = new Date(`${date}T12:00:00Z`);
          next.setUTCDate(next.getUTCDate() + 1);
          const to = next.toISOString().slice(0, 10);
          const { slots } = (await json(
            await fetch(`/api/v1/practitioners/${p.id}/availability?from=${date}&to=${to}&type=${type}`),
          )) as { slots: { start: string }[] };
          const res = await fetch('/api/v1/appointments', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({
              practitioner_id: p.id,
              type_id: type,
              patient_id: patientId,
              start: slots[0]!.start,
            }),
          });
          return res.status;
        },
        { patientId, date: notified },
      );
      expect(status).toBe(201);
    } finally {
      await desk.close();
    }

    // No reload: the event stream brings it.
    await expect
      .poll(async () => Number((await bell.getAttribute('aria-label'))?.match(/\d+/)?.[0] ?? -1), { timeout: 20_000 })
      .toBeGreaterThan(unreadBefore);
    await bell.click();
    const panel = page.getByRole('region', { name: 'Notifications', exact: true });
    const item = panel.getByRole('listitem').filter({ hasText: 'Rendez-vous réservé pour le' }).first();
    await item.waitFor();
    await screenshot(page, 'portal-notification');
    await item.getByRole('link', { name: 'Ouvrir' }).click();
    await page.waitForURL(/\/portal\/appointments$/);
    await page.getByRole('heading', { level: 1, name: 'Mes rendez-vous' }).waitFor();
    await panel.waitFor({ state: 'detached' });
    await bell.click();
    await panel.getByRole('button', { name: 'Tout marquer comme lu' }).click();
    await page.getByRole('button', { name: 'Notifications, 0 non lue' }).waitFor();
    await signOut(page);
  });

  it('the patient exports their data: progress, then a ZIP downloaded once', async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, patient);
    await page.waitForURL(/\/portal$/);
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Export des données' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Export des données (RGPD)' }).waitFor();
    await page.getByRole('button', { name: 'Préparer l’export' }).click();
    await page.waitForURL(/\/portal\/export\?job=[0-9a-f-]{36}$/);
    await page
      .getByRole('status')
      .filter({ hasText: /^Préparation : / })
      .waitFor();
    const button = page.getByRole('button', { name: /^Télécharger .+\.zip/ });
    await button.waitFor({ timeout: 30_000 });
    await screenshot(page, 'portal-export-ready');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const zip = Buffer.concat(chunks);
    expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
    await page.getByText('Fichier téléchargé. Il n’est plus disponible sur le serveur.').waitFor();
    expect(await button.count()).toBe(0);
    await signOut(page);
  });

  it('the front desk records an absence; a doctor creates the secret link to their calendar feed', async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, account('secretary', 1));
    await page.waitForURL(/\/patients$/);
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Plannings' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Plannings' }).waitFor();
    const select = page.getByLabel('Praticien', { exact: true });
    const nguyen = await page.locator('#schedule-practitioner option', { hasText: 'Nguyen' }).getAttribute('value');
    await select.selectOption(nguyen ?? '');
    await page.getByRole('heading', { name: 'Heures d’ouverture' }).waitFor();
    await page.getByLabel(/^De$/).first().waitFor();
    await page.getByLabel(/^Début/).fill(`${absent}T08:00`);
    await page.getByLabel(/^Fin/).fill(`${absent}T18:00`);
    await page.getByLabel(/^Motif/).fill('Congrès');
    await page.getByRole('button', { name: 'Ajouter une absence' }).click();
    await page.getByText('Absence enregistrée.').waitFor();
    const absence = page.getByRole('listitem').filter({ hasText: 'Congrès' });
    await absence.waitFor();
    await screenshot(page, 'schedules');
    await absence.getByRole('button', { name: /^Retirer/ }).click();
    await page.getByText('Absence retirée.').waitFor();
    await absence.waitFor({ state: 'detached' });
    await signOut(page);

    await signIn(page, s.baseUrl, doctor);
    await page.waitForURL(/\/my-day$/);
    await page.goto(`${s.baseUrl}/schedules`);
    await page.getByRole('heading', { name: 'Agenda externe (.ics)' }).waitFor();
    await page.getByRole('button', { name: 'Créer un nouveau lien' }).click();
    const link = page.locator('code.feed-link');
    await link.waitFor();
    const url = (await link.textContent())!.trim();
    expect(url).toMatch(/\/api\/v1\/calendar\/.+\.ics$/);
    const ics = await page.evaluate(async (u) => {
      const r = await fetch(u, { credentials: 'omit' });
      return { status: r.status, text: await r.text() };
    }, url);
    expect(ics.status).toBe(200);
    expect(ics.text).toContain('BEGIN:VCALENDAR');
    await page.getByRole('button', { name: 'Désactiver l’agenda externe' }).click();
    await page.getByText('Agenda externe désactivé.').waitFor();
    expect(await page.evaluate(async (u) => (await fetch(u, { credentials: 'omit' })).status, url)).toBe(404);
    await signOut(page);
  });

  it('roles without a calendar are refused it', async () => {
    const { page } = s;
    for (const [role, path] of [
      ['accountant', '/calendar'],
      ['nurse', '/my-day'],
      ['nurse', '/schedules'],
    ] as const) {
      await signIn(page, s.baseUrl, account(role));
      await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
      await page.goto(`${s.baseUrl}${path}`);
      await page.getByRole('heading', { name: 'Accès refusé' }).waitFor();
      await signOut(page);
    }
    await signIn(page, s.baseUrl, patient);
    await page.waitForURL(/\/portal$/);
    await page.goto(`${s.baseUrl}/calendar`);
    await page.getByRole('heading', { name: 'Accès refusé' }).waitFor();
    await signOut(page);
  });
});
