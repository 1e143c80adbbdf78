import { expect, test } from '@playwright/test';

import {
  agencyOverApi,
  bearer,
  itEmail,
  itPassword,
  localDateTime,
  nav,
  signIn,
  signOut,
  stamp,
  travellerOverApi,
} from './browser-steps';

// Issue 9 in the browser: an agency takes a launch through its lifecycle in the supplier app (the
// launch is dated a minute ahead so that "launched" really comes due by the clock), the traveller
// follows it in My bookings, IT runs a scheduler job; rockets and both profiles.
test.describe.configure({ timeout: 240_000 });

test('the agency confirms, delays and marks a launch launched; the traveller sees its history in My bookings', async ({ page, request }) => {
  const tag = stamp();
  const agencyEmail = `lifecycle-agency-${tag}@astro.test`;
  const travelerEmail = `lifecycle-traveler-${tag}@astro.test`;
  const mission = `Lifecycle Mission ${tag}`;
  const agency = bearer(await agencyOverApi(request, 'Lifecycle Agency', agencyEmail, 'agency-pass-12'));
  const traveller = bearer(await travellerOverApi(request, 'Lifecycle Traveller', travelerEmail, 'traveler-pass-1'));

  // The agency schedules a launch a minute ahead in the supplier app.
  await signIn(page, '/supplier/', agencyEmail, 'agency-pass-12');
  await nav(page, 'Rockets');
  await page.getByLabel('Name').fill(`Lifecycle Hopper ${tag}`);
  await page.getByLabel('Model').fill('LH-1');
  await page.getByLabel('Seats').fill('4');
  await page.getByLabel('Range').selectOption('moon');
  await page.getByRole('button', { name: 'Add rocket' }).click();
  await expect(page.getByTestId('rocket-added')).toContainText(`Added Lifecycle Hopper ${tag} (4 seats)`);
  await nav(page, 'Launches');
  const launchAt = new Date(Date.now() + 60_000);
  await page.getByLabel('Mission name').fill(mission);
  await page.getByLabel('Spaceport').fill('Kourou');
  await page.getByLabel('Destination').selectOption('moon');
  await page.getByLabel('Launch time').fill(localDateTime(launchAt));
  await page.getByLabel('Price per seat').fill('1000');
  await page.getByLabel('Minimum passengers').fill('2');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await expect(page.getByTestId('launch-scheduled')).toContainText(`Scheduled ${mission}`);
  await expect(page.getByLabel('Mission name')).toHaveValue('');

  // The traveller books a seat over the customer API once the launch has reached the customer DB.
  await page.getByTestId('launch-row').getByRole('link', { name: mission }).click();
  const launchId = page.url().split('/').pop() ?? '';
  const slug = (await (await request.get(`/api/admin/launches/${launchId}`, { headers: agency })).json()).slug;
  await expect.poll(async () => (await request.get(`/api/customer/launches/${slug}`)).status(), { timeout: 20_000 }).toBe(200);
  const booked = await request.post('/api/customer/bookings', {
    headers: { ...traveller, 'Idempotency-Key': tag },
    data: { launch_id: launchId, passengers: [{ name: 'Ada Lifecycle', email: `ada-${tag}@astro.test`, phone: '+1 555 0100', age: 40 }] },
  });
  expect(booked.status()).toBe(201);

  // The launch's page: occupancy against the minimum, the passenger, the money.
  const occupancy = page.getByTestId('occupancy');
  await expect(async () => {
    await page.reload();
    await expect(occupancy).toContainText('1 of 4 seats sold (25 %)', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(occupancy).toContainText('1 more to reach the minimum of 2');
  await expect(page.getByTestId('passenger-row')).toContainText('Ada Lifecycle');
  await expect(page.getByTestId('money')).toContainText('$1,000.00');

  // Confirm, delay to a later time with a reason, and back to confirmed.
  const status = page.getByTestId('launch-status');
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(status).toHaveText('Confirmed');
  await page.getByRole('button', { name: 'Delay…' }).click();
  const panel = page.getByTestId('action-panel');
  await expect(panel.getByLabel('New launch time')).toBeFocused();
  await panel.getByLabel('New launch time').fill(localDateTime(new Date(Date.now() - 60_000)));
  await panel.getByRole('button', { name: 'Delay the launch' }).click();
  await expect(panel.getByRole('alert')).toHaveText('The new launch date must be in the future.');
  const delayedTo = new Date(Math.max(launchAt.getTime(), Date.now()) + 15_000);
  await panel.getByLabel('New launch time').fill(localDateTime(delayedTo));
  await panel.getByLabel('Reason').fill('upper-level winds');
  await panel.getByRole('button', { name: 'Delay the launch' }).click();
  await expect(status).toHaveText('Delayed');
  await expect(page.getByRole('button', { name: 'Confirm', exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Back to confirmed' }).click();
  await expect(status).toHaveText('Confirmed');

  // "Launched" is offered only once the clock reaches the new date.
  await expect(page.getByRole('button', { name: 'Mark launched…' })).toHaveCount(0);
  await page.waitForTimeout(Math.max(0, delayedTo.getTime() - Date.now()));
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('button', { name: 'Mark launched…' })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Mark launched…' }).click();
  await page.getByTestId('action-panel').getByRole('button', { name: 'Mark launched', exact: true }).click();
  await expect(status).toHaveText('Launched');
  await expect(page.getByText('Launched is final: nothing more can change.')).toBeVisible();
  await expect(page.getByTestId('history-row')).toHaveText([
    /Confirmed → Launched/,
    /Delayed → Confirmed/,
    /Confirmed → Delayed: upper-level winds/,
    /Scheduled → Confirmed/,
    /Scheduled/,
  ]);
  await signOut(page);

  // The traveller sees the launch's status and its history in My bookings.
  await signIn(page, '/', travelerEmail, 'traveler-pass-1');
  await nav(page, 'My bookings');
  const row = page.getByTestId('booking-row').filter({ hasText: mission });
  await expect(async () => {
    await page.reload();
    await expect(row.getByTestId('launch-status')).toHaveText('Launched', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await row.getByText('Status history').click();
  await expect(row.getByTestId('launch-history').getByRole('listitem')).toHaveText([
    /Scheduled$/,
    /Scheduled → Confirmed$/,
    /Confirmed → Delayed: upper-level winds$/,
    /Delayed → Confirmed$/,
    /Confirmed → Launched$/,
  ]);
  await expect(row.getByRole('button', { name: 'Cancel…' })).toHaveCount(0);
});

test('IT runs a scheduler job from the employee app and sees how it ended', async ({ page }) => {
  await signIn(page, '/employee/', itEmail, itPassword);
  await nav(page, 'Jobs');
  const rows = page.getByTestId('job-row');
  for (const name of ['minimum-passenger-decision', 'vip-early-notice', 'notification-retries', 'invoice-reminders']) {
    await expect(rows.filter({ hasText: name })).toHaveCount(1);
  }
  const job = rows.filter({ hasText: 'notification-retries' });
  // The scheduler's own tick runs the job too: the count only grows.
  const succeeded = async () => Number(((await job.getByRole('cell').nth(4).textContent()) ?? '').match(/(\d+) succeeded/)?.[1]);
  const before = await succeeded();
  await job.getByRole('button', { name: 'Run notification-retries now' }).click();
  await expect(job.getByTestId('job-run-result')).toContainText(/Succeeded: \d+ units? of work in [\d.]+ s/);
  await expect.poll(succeeded).toBeGreaterThan(before);
  await expect(job.getByTestId('job-last-run')).toContainText('succeeded');
});

test('the agency edits and deactivates rockets and writes its profile; the traveller writes theirs', async ({ page, request }) => {
  const tag = stamp();
  const agencyEmail = `fleet-agency-${tag}@astro.test`;
  const travelerEmail = `profile-traveler-${tag}@astro.test`;
  const agency = bearer(await agencyOverApi(request, 'Fleet Agency', agencyEmail, 'agency-pass-12'));
  await travellerOverApi(request, 'Profile Traveller', travelerEmail, 'traveler-pass-1');
  const busy = await (
    await request.post('/api/admin/rockets', { headers: agency, data: { name: `Busy ${tag}`, model: 'B1', capacity: 4, range: 'moon' } })
  ).json();
  const launched = await request.post('/api/admin/launches', {
    headers: agency,
    data: {
      rocket_id: busy.id, mission_name: `Fleet Mission ${tag}`, spaceport: 'Kourou', destination: 'moon',
      launch_at: new Date(Date.now() + 400 * 86_400_000).toISOString(), price_per_seat_cents: 100_000, minimum_passengers: 1,
    },
  });
  expect(launched.status()).toBe(201);
  await request.post('/api/admin/rockets', { headers: agency, data: { name: `Spare ${tag}`, model: 'S1', capacity: 4, range: 'moon' } });

  await signIn(page, '/supplier/', agencyEmail, 'agency-pass-12');
  await nav(page, 'Rockets');
  // A rocket with a launch still to fly stays active, and the agency is told why.
  await page.getByRole('button', { name: `Deactivate Busy ${tag}` }).click();
  await expect(page.getByTestId('rocket-problem')).toHaveText(
    `Busy ${tag} still has launches that are not over. Deactivate it once each has launched, failed or been aborted.`,
  );
  // The spare one is edited, then deactivated.
  const spare = page.getByTestId('rocket-row').filter({ hasText: `Spare ${tag}` });
  await page.getByRole('button', { name: `Edit Spare ${tag}` }).click();
  const edit = page.getByTestId('rocket-edit');
  await expect(edit.getByLabel('Name')).toBeFocused();
  await edit.getByLabel('Model').fill('S2');
  await edit.getByLabel('Seats').fill('6');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(spare).toContainText('S2');
  await expect(spare.getByRole('cell').nth(2)).toHaveText('6');
  await page.getByRole('button', { name: `Deactivate Spare ${tag}` }).click();
  await expect(spare).toContainText('deactivated');
  await page.reload();
  await expect(spare).toContainText('deactivated');
  await expect(page.getByRole('button', { name: `Deactivate Busy ${tag}` })).toBeVisible();

  // The agency profile: tax id and legal address are required.
  await nav(page, 'Profile');
  await page.getByLabel('Legal name').fill(`Fleet Agency ${tag} SA`);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('alert')).toHaveText(['Enter the tax id.', 'Enter the legal address.']);
  await page.getByLabel('Tax id').fill('FR-40123456789');
  await page.getByLabel('Legal address').fill('1 Avenue de l’Europe, Kourou');
  await page.getByLabel('Contact email').fill(`desk-${tag}@astro.test`);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('profile-saved')).toHaveText('Profile saved.');
  await page.reload();
  await expect(page.getByLabel('Tax id')).toHaveValue('FR-40123456789');
  await expect(page.getByLabel('Legal name')).toHaveValue(`Fleet Agency ${tag} SA`);
  await signOut(page);

  // The traveller's profile: every field optional.
  await signIn(page, '/', travelerEmail, 'traveler-pass-1');
  await nav(page, 'Profile');
  await page.getByLabel('Phone', { exact: true }).fill('+33 6 12 34 56 78');
  await page.getByLabel('Emergency contact').fill('Marie, +33 6 00 00 00 00');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('profile-saved')).toHaveText('Profile saved.');
  await page.reload();
  await expect(page.getByLabel('Phone', { exact: true })).toHaveValue('+33 6 12 34 56 78');
  await expect(page.getByLabel('Tax id')).toHaveValue('');
});
