import { expect, test } from '@playwright/test';

import {
  agencyOverApi,
  bearer,
  itEmail,
  itPassword,
  launchOverApi,
  nav,
  signIn,
  signOut,
  stamp,
  subjectsTo,
  travellerOverApi,
} from './browser-steps';

// Steps 1–8 of the walking skeleton in a browser, across the employee, supplier and customer apps
// served by the nginx edge, ending with the emails in the SMTP catcher.
const unique = stamp();

test.describe.configure({ timeout: 120_000 });

test('a launch scheduled in the supplier app is booked in the customer app and seen in the employee app', async ({ page, request }) => {
  const agencyEmail = `agency-${unique}@astro.test`;
  const travelerEmail = `traveler-${unique}@astro.test`;
  const mission = `Browser Mission ${unique}`;
  const rocketName = `Browser Hopper ${unique}`;

  // 1. The IT employee opens the agency's account in the employee app.
  await signIn(page, '/employee/', itEmail, itPassword);
  await nav(page, 'Accounts');
  await page.getByLabel('Role').selectOption('agency');
  await page.getByLabel('Name').fill('Browser Agency');
  await page.getByLabel('Email').fill(agencyEmail);
  await page.getByLabel('First password').fill('agency-pass-12');
  await page.getByRole('button', { name: 'Open account' }).click();
  await expect(page.getByTestId('account-created')).toContainText(agencyEmail);
  await signOut(page);

  // 2. The agency adds a rocket and schedules a launch in the supplier app.
  await signIn(page, '/supplier/', agencyEmail, 'agency-pass-12');
  await nav(page, 'Rockets');
  await page.getByLabel('Name').fill(rocketName);
  await page.getByLabel('Model').fill('BH-1');
  await page.getByLabel('Seats').fill('5');
  await page.getByLabel('Range').selectOption('mars');
  await page.getByRole('button', { name: 'Add rocket' }).click();
  await expect(page.getByTestId('rocket-added')).toHaveText(`Added ${rocketName} (5 seats) to the fleet.`);
  await expect(page.getByTestId('rocket-row').filter({ hasText: rocketName })).toBeVisible();

  await nav(page, 'Launches');
  await page.getByLabel('Rocket').selectOption({ label: `${rocketName} (5 seats)` });
  await page.getByLabel('Mission name').fill(mission);
  await page.getByLabel('Spaceport').fill('Kourou');
  await page.getByLabel('Destination').selectOption('mars');
  const launchDay = new Date(Date.now() + 400 * 86_400_000);
  await page.getByLabel('Launch time').fill(`${launchDay.toISOString().slice(0, 10)}T09:30`);
  await page.getByLabel('Price per seat').fill('999');
  await page.getByLabel('Minimum passengers').fill('1');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await expect(page.getByTestId('launch-row').filter({ hasText: mission })).toBeVisible();
  await expect(page.getByTestId('launch-scheduled')).toContainText(`Scheduled ${mission}`);
  // The form is cleared for the next launch.
  await expect(page.getByLabel('Mission name')).toHaveValue('');
  await expect(page.getByLabel('Price per seat')).toHaveValue('');
  await signOut(page);

  // 3. An anonymous visitor sees the launch and its free seats once the sync has carried it.
  await page.goto('/launches');
  const card = page.getByTestId('launch-card').filter({ hasText: mission });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(card).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(card.getByTestId('free-seats')).toHaveText('5');

  // 4. The traveller opens the launch, creates an account and comes back to it signed in.
  await card.getByRole('link', { name: mission }).click();
  await page.getByRole('link', { name: 'create an account' }).click();
  await page.getByLabel('Name').fill('Browser Traveller');
  await page.getByLabel('Email').fill(travelerEmail);
  await page.getByLabel('Password').fill('traveler-pass-1');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('signed-in-as')).toContainText('Browser Traveller');
  await expect(page.getByRole('heading', { name: mission })).toBeVisible();

  // 5. Two seats with passengers; the free seats drop by two.
  await page.getByLabel('Seats').selectOption('2');
  const passengers = page.locator('fieldset');
  for (const [index, name] of ['Ada Browser', 'Grace Browser'].entries()) {
    const passenger = passengers.nth(index);
    await passenger.getByLabel('Name').fill(name);
    await passenger.getByLabel('Email').fill(`passenger${index}-${unique}@astro.test`);
    await passenger.getByLabel('Phone').fill('+1 555 0100');
    await passenger.getByLabel('Age on launch day').fill(String(30 + index));
  }
  await page.getByRole('button', { name: 'Book 2 seats' }).click();
  await expect(page.getByTestId('booking-confirmed')).toContainText('2 seats');
  await expect(page.getByTestId('free-seats')).toHaveText('3');
  await page.getByRole('link', { name: 'See my bookings' }).click();
  await expect(page.getByTestId('booking-row').filter({ hasText: mission })).toContainText('Ada Browser, Grace Browser');
  await signOut(page);

  // 6. The booking reaches the operations DB; the agency sees it.
  await signIn(page, '/supplier/', agencyEmail, 'agency-pass-12');
  await nav(page, 'Bookings');
  const bookingRow = page.getByTestId('booking-row').filter({ hasText: travelerEmail });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(bookingRow).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(bookingRow).toContainText(mission);
  await expect(bookingRow).toContainText('$1,998.00');
  await signOut(page);

  // 7. The traveller's confirmation and the agency's notice arrived at the SMTP catcher.
  await expect
    .poll(() => subjectsTo(request, travelerEmail), { timeout: 20_000 })
    .toContain(`Booking confirmed: ${mission} (2 seats)`);
  await expect
    .poll(() => subjectsTo(request, agencyEmail), { timeout: 20_000 })
    .toContain(`New booking on ${mission}: 2 seats`);

  // 8. IT reads the notifications (sent) and the log entries of the flow in the employee app.
  await signIn(page, '/employee/', itEmail, itPassword);
  await nav(page, 'Notifications');
  const notification = page
    .getByTestId('notification-row')
    .filter({ hasText: travelerEmail })
    .filter({ hasText: 'booking.confirmed.v1' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(notification).toContainText('sent', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  const notice = page.getByTestId('notification-row').filter({ hasText: agencyEmail }).filter({ hasText: mission });
  await expect(notice).toContainText('sent');

  await nav(page, 'Logs');
  await page.getByLabel('Service').selectOption('customer');
  await expect(page.getByTestId('log-row').first()).toBeVisible();
  await page.getByLabel('Text').fill('booking');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('log-row').first()).toContainText('booking');

  await nav(page, 'Health');
  await expect(page.getByTestId('role-health')).toHaveCount(4);

  // IT disables the agency's account from the list, and enables it again.
  await nav(page, 'Accounts');
  await page.getByLabel('Text').fill(agencyEmail);
  await page.getByRole('button', { name: 'Search' }).click();
  const account = page.getByTestId('account-row').filter({ hasText: agencyEmail });
  await expect(account).toHaveCount(1);
  await account.getByRole('button', { name: `Disable ${agencyEmail}` }).click();
  await expect(account).toContainText('disabled');
  const refused = await request.post('/api/system/auth/login', { data: { email: agencyEmail, password: 'agency-pass-12' } });
  expect(refused.status()).toBe(403);
  await account.getByRole('button', { name: `Enable ${agencyEmail}` }).click();
  await expect(account).toContainText('active');
});

test('a traveller cancels with a refund in the customer app, and the agency aborts its launch in the supplier app', async ({ page, request }) => {
  const tag = stamp();
  const agencyEmail = `abort-agency-${tag}@astro.test`;
  const travelerEmail = `cancel-traveler-${tag}@astro.test`;
  const mission = `Abort Mission ${tag}`;

  // Set-up over the APIs: the agency, a launch 400 days out (a 90 % refund), a traveller.
  const agencyAuth = bearer(await agencyOverApi(request, 'Abort Agency', agencyEmail, 'agency-pass-12'));
  const launch = await launchOverApi(request, agencyAuth, mission, `Abort Hopper ${tag}`);
  await travellerOverApi(request, 'Cancel Traveller', travelerEmail, 'traveler-pass-1');

  // The traveller books two seats, then cancels one booking from "My bookings".
  await page.goto(`/launches/${launch.slug}`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('heading', { name: mission })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await signIn(page, '/', travelerEmail, 'traveler-pass-1');
  await page.goto(`/launches/${launch.slug}`);
  await page.getByLabel('Seats').selectOption('2');
  for (const index of [0, 1]) {
    const passenger = page.locator('fieldset').nth(index);
    await passenger.getByLabel('Name').fill(`Rider ${index}`);
    await passenger.getByLabel('Email').fill(`rider${index}-${tag}@astro.test`);
    await passenger.getByLabel('Phone').fill('+1 555 0100');
    await passenger.getByLabel('Age on launch day').fill('40');
  }
  await page.getByRole('button', { name: 'Book 2 seats' }).click();
  await expect(page.getByTestId('free-seats')).toHaveText('2');
  await page.getByRole('link', { name: 'See my bookings' }).click();
  const row = page.getByTestId('booking-row').filter({ hasText: mission });
  await row.getByRole('button', { name: 'Cancel…' }).click();
  const panel = page.getByTestId('cancel-panel');
  await expect(panel).toContainText('refunds $1,800.00 (90 %)');
  await panel.getByLabel('Reason').fill('plans changed');
  await panel.getByRole('button', { name: 'Cancel this booking' }).click();
  await expect(row).toContainText('cancelled');
  await expect(row).toContainText('Cancelled; refund $1,800.00 (90 %)');
  await page.goto(`/launches/${launch.slug}`);
  await expect(page.getByTestId('free-seats')).toHaveText('4');
  await expect
    .poll(() => subjectsTo(request, travelerEmail), { timeout: 20_000 })
    .toContain(`Booking cancelled: ${mission}`);

  // The traveller books again; the agency aborts the launch; the booking ends with a full refund.
  await page.getByRole('button', { name: 'Book 1 seats' }).waitFor();
  const passenger = page.locator('fieldset').first();
  await passenger.getByLabel('Name').fill('Rider again');
  await passenger.getByLabel('Email').fill(`again-${tag}@astro.test`);
  await passenger.getByLabel('Phone').fill('+1 555 0100');
  await passenger.getByLabel('Age on launch day').fill('40');
  await page.getByRole('button', { name: 'Book 1 seats' }).click();
  await expect(page.getByTestId('booking-confirmed')).toBeVisible();

  await signIn(page, '/supplier/', agencyEmail, 'agency-pass-12');
  await nav(page, 'Launches');
  await page.getByTestId('launch-row').getByRole('link', { name: mission }).click();
  await page.getByRole('button', { name: 'Abort…' }).click();
  const abortPanel = page.getByTestId('action-panel');
  await expect(abortPanel).toContainText('Aborting cancels all 1 sold seats');
  await abortPanel.getByRole('button', { name: 'Abort the launch' }).click();
  await expect(abortPanel.getByRole('alert')).toHaveText('Give the travellers a reason.');
  await abortPanel.getByLabel('Reason').fill('range safety hold');
  await abortPanel.getByRole('button', { name: 'Abort the launch' }).click();
  await expect(page.getByTestId('launch-status')).toHaveText('Aborted');
  await expect(page.getByText('Aborted is final: nothing more can change.')).toBeVisible();

  await page.goto('/bookings');
  const aborted = page.getByTestId('booking-row').filter({ hasText: 'Launch aborted' });
  await expect(async () => {
    await page.reload();
    await expect(aborted).toContainText('Launch aborted: range safety hold; refund $1,000.00 (100 %)', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect
    .poll(() => subjectsTo(request, travelerEmail), { timeout: 20_000 })
    .toContain(`Launch aborted: ${mission}`);
});
