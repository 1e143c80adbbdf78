import { APIRequestContext, Page, expect } from '@playwright/test';

// The steps the browser specs share: signing in and out of an app, its navigation, the emails in
// the SMTP catcher, and setting accounts up over the APIs when a spec is about something else.
export const itEmail = process.env.ASTRO_SEED_IT_EMAIL ?? 'it@astro.local';
export const itPassword = process.env.ASTRO_SEED_IT_PASSWORD ?? 'itpassword123';
const mailApi = process.env.ASTRO_MAIL_API_URL ?? 'http://127.0.0.1:8025';

export const stamp = () => `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

export async function signIn(page: Page, app: string, email: string, password: string) {
  await page.goto(`${app}sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
}

// The navigation bar's links (the brand link also contains the words "Astro Bookings").
export async function nav(page: Page, name: string) {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
}

export async function subjectsTo(request: APIRequestContext, address: string): Promise<string[]> {
  const response = await request.get(`${mailApi}/api/v1/search?query=${encodeURIComponent(`to:${address}`)}`);
  if (!response.ok()) return [];
  const body = await response.json();
  return (body.messages ?? []).map((message: { Subject: string }) => message.Subject);
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export async function apiSignIn(request: APIRequestContext, email: string, password: string): Promise<string> {
  const response = await request.post('/api/system/auth/login', { data: { email, password } });
  expect(response.status()).toBe(200);
  return (await response.json()).access_token;
}

/** IT opens an agency account over the system API; answers the agency's access token. */
export async function agencyOverApi(request: APIRequestContext, name: string, email: string, password: string): Promise<string> {
  const it = await apiSignIn(request, itEmail, itPassword);
  const created = await request.post('/api/system/users', {
    headers: bearer(it),
    data: { name, email, password, role: 'agency' },
  });
  expect(created.status()).toBe(201);
  return apiSignIn(request, email, password);
}

/** A traveller registers over the system API; answers their access token. */
export async function travellerOverApi(request: APIRequestContext, name: string, email: string, password: string): Promise<string> {
  expect((await request.post('/api/system/auth/register', { data: { name, email, password } })).status()).toBe(201);
  return apiSignIn(request, email, password);
}

/** A time as a `datetime-local` input takes it, in the browser's (and this process's) zone, to the second. */
export function localDateTime(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}` +
    `T${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}

/** The agency adds a 4-seat moon rocket and schedules `mission` on it 400 days out, $1,000.00 a seat, over the admin API; answers the launch. */
export async function launchOverApi(
  request: APIRequestContext,
  agency: Record<string, string>,
  mission: string,
  rocketName: string,
): Promise<{ id: string; slug: string }> {
  const rocket = await (
    await request.post('/api/admin/rockets', { headers: agency, data: { name: rocketName, model: 'R1', capacity: 4, range: 'moon' } })
  ).json();
  const launched = await request.post('/api/admin/launches', {
    headers: agency,
    data: {
      rocket_id: rocket.id, mission_name: mission, spaceport: 'Kourou', destination: 'moon',
      launch_at: new Date(Date.now() + 400 * 86_400_000).toISOString(), price_per_seat_cents: 100_000, minimum_passengers: 1,
    },
  });
  expect(launched.status()).toBe(201);
  return launched.json();
}
