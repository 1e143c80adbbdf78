import { APIRequestContext, Page, expect, test } from '@playwright/test';

// Steps 1–8 of the walking skeleton in a browser, across the employee, supplier and customer apps
// served by the nginx edge, ending with the emails in the SMTP catcher.
const itEmail = process.env.ASTRO_SEED_IT_EMAIL ?? 'it@astro.local';
const itPassword = process.env.ASTRO_SEED_IT_PASSWORD ?? 'itpassword123';
const mailApi = process.env.ASTRO_MAIL_API_URL ?? 'http://127.0.0.1:8025';
const unique = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

async function signIn(page: Page, app: string, email: string, password: string) {
  await page.goto(`${app}sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
}

// The navigation bar's links (the brand link also contains the words "Astro Bookings").
async function nav(page: Page, name: string) {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
}

async function subjectsTo(request: APIRequestContext, address: string): Promise<string[]> {
  const response = await request.get(`${mailApi}/api/v1/search?query=${encodeURIComponent(`to:${address}`)}`);
  if (!response.ok()) return [];
  const body = await response.json();
  return (body.messages ?? []).map((message: { Subject: string }) => message.Subject);
}

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
});
