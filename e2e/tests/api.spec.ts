import { APIRequestContext, expect, test } from '@playwright/test';

import { expectProblem } from './problem';

// API tests of each role's endpoints through the edge: the flow's happy path and bad input.
const itEmail = process.env.ASTRO_SEED_IT_EMAIL ?? 'it@astro.local';
const itPassword = process.env.ASTRO_SEED_IT_PASSWORD ?? 'itpassword123';
const unique = () => `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

async function signIn(request: APIRequestContext, email: string, password: string): Promise<string> {
  const response = await request.post('/api/system/auth/login', { data: { email, password } });
  expect(response.status()).toBe(200);
  return (await response.json()).access_token;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

test('health, readiness, actors and OpenAPI of every role', async ({ request }) => {
  const it = await signIn(request, itEmail, itPassword);
  for (const role of ['customer', 'admin', 'system', 'scheduler']) {
    expect((await request.get(`/api/${role}/health/live`)).status()).toBe(200);
    expect((await request.get(`/api/${role}/health/ready`)).status()).toBe(200);
    // The supervision tree is for IT only.
    await expectProblem(await request.get(`/api/${role}/health/actors`), 401, 'unauthenticated');
    const actors = await (await request.get(`/api/${role}/health/actors`, { headers: bearer(it) })).json();
    expect(actors.actors.length).toBeGreaterThan(0);
    const openapi = await (await request.get(`/api/${role}/openapi.json`)).json();
    expect(openapi.openapi).toMatch(/^3\./);
  }
});

test('the booking flow over the APIs, with bad input refused', async ({ request }) => {
  const it = await signIn(request, itEmail, itPassword);
  const agencyEmail = `agency-${unique()}@astro.test`;
  const created = await request.post('/api/system/users', {
    headers: bearer(it),
    data: { name: 'E2E Agency', email: agencyEmail, password: 'agency-pass-12', role: 'agency' },
  });
  expect(created.status()).toBe(201);
  const agency = await signIn(request, agencyEmail, 'agency-pass-12');

  const rocket = await (
    await request.post('/api/admin/rockets', {
      headers: bearer(agency),
      data: { name: `Hopper ${unique()}`, model: 'H1', capacity: 5, range: 'mars' },
    })
  ).json();
  const launchAt = new Date(Date.now() + 400 * 86_400_000).toISOString();
  const launchResponse = await request.post('/api/admin/launches', {
    headers: bearer(agency),
    data: {
      rocket_id: rocket.id, mission_name: 'E2E Mission', spaceport: 'Kourou', destination: 'mars',
      launch_at: launchAt, price_per_seat_cents: 99_900, minimum_passengers: 1,
    },
  });
  expect(launchResponse.status()).toBe(201);
  const launch = await launchResponse.json();

  await expect
    .poll(async () => {
      const listing = await (await request.get('/api/customer/launches')).json();
      return listing.items.find((item: { id: string }) => item.id === launch.id)?.free_seats;
    }, { timeout: 15_000 })
    .toBe(5);
  expect((await request.get(`/api/customer/launches/${launch.slug}`)).status()).toBe(200);

  const travelerEmail = `traveler-${unique()}@astro.test`;
  expect(
    (await request.post('/api/system/auth/register', { data: { name: 'E2E Traveler', email: travelerEmail, password: 'traveler-pass-1' } })).status(),
  ).toBe(201);
  const traveler = await signIn(request, travelerEmail, 'traveler-pass-1');
  const passenger = { name: 'Ada', email: 'ada@astro.test', phone: '+1 555 0100', age: 35 };
  const booking = await request.post('/api/customer/bookings', {
    headers: { ...bearer(traveler), 'Idempotency-Key': unique() },
    data: { launch_id: launch.id, passengers: [passenger, { ...passenger, name: 'Grace' }] },
  });
  expect(booking.status()).toBe(201);
  const booked = await booking.json();
  expect(booked.total_cents).toBe(199_800);
  const bookingId: string = booked.id;

  await expect
    .poll(async () => {
      const bookings = await (await request.get(`/api/admin/bookings?launch_id=${launch.id}`, { headers: bearer(agency) })).json();
      return bookings.items.length;
    }, { timeout: 15_000 })
    .toBe(1);

  // Bad input: malformed JSON, missing fields, wrong role, unknown ids, no token.
  await expectProblem(await request.post('/api/system/auth/login', { headers: { 'content-type': 'application/json' }, data: '{oops' }), 400, 'bad_request');
  await expectProblem(await request.post('/api/system/auth/register', { data: { email: 'x@astro.test' } }), 400, 'bad_request');
  await expectProblem(await request.post('/api/admin/rockets', { headers: bearer(traveler), data: { name: 'R', model: 'M', capacity: 2, range: 'moon' } }), 403, 'forbidden');
  await expectProblem(await request.get(`/api/admin/launches/${crypto.randomUUID()}`, { headers: bearer(agency) }), 404, 'not_found');
  await expectProblem(await request.get('/api/system/logs'), 401, 'unauthenticated');
  await expectProblem(
    await request.post('/api/customer/bookings', {
      headers: { ...bearer(traveler), 'Idempotency-Key': unique() },
      data: { launch_id: crypto.randomUUID(), passengers: [passenger] },
    }),
    404,
    'not_found',
  );
  await expectProblem(await request.get('/api/customer/launches/no-such-slug'), 404, 'not_found');

  // IT reads the logs and the notifications the flow left.
  await expect
    .poll(async () => {
      const notifications = await (await request.get('/api/system/notifications', { headers: bearer(it) })).json();
      return notifications.items.filter((item: { recipient_email: string; status: string }) =>
        [travelerEmail, agencyEmail].includes(item.recipient_email) && item.status === 'sent').length;
    }, { timeout: 15_000 })
    .toBeGreaterThanOrEqual(3);
  // The audit log travels over the broker to the system role, so it lands a moment after the booking.
  await expect
    .poll(async () => {
      const logs = await (await request.get('/api/system/logs?q=booked', { headers: bearer(it) })).json();
      return logs.items.filter((item: { entity_id: string | null }) => item.entity_id === bookingId).length;
    }, { timeout: 15_000 })
    .toBe(1);
});

test('logout and a disabled account cut their sessions on every role', async ({ request }) => {
  const it = await signIn(request, itEmail, itPassword);
  const session = await (await request.post('/api/system/auth/login', { data: { email: itEmail, password: itPassword } })).json();
  for (const role of ['customer', 'admin', 'system', 'scheduler']) {
    expect((await request.get(`/api/${role}/health/actors`, { headers: bearer(session.access_token) })).status()).toBe(200);
  }
  expect((await request.post('/api/system/auth/logout', { data: { refresh_token: session.refresh_token } })).status()).toBe(204);
  await expect(async () => {
    for (const role of ['customer', 'admin', 'system', 'scheduler']) {
      expect((await request.get(`/api/${role}/health/actors`, { headers: bearer(session.access_token) })).status()).toBe(401);
    }
  }).toPass({ timeout: 1_000 });

  const email = `disabled-${unique()}@astro.test`;
  expect((await request.post('/api/system/auth/register', { data: { name: 'Dee Abled', email, password: 'traveler-pass-1' } })).status()).toBe(201);
  const traveler = await signIn(request, email, 'traveler-pass-1');
  const listed = await (await request.get(`/api/system/users?role=traveler&q=${encodeURIComponent(email)}`, { headers: bearer(it) })).json();
  expect(listed.items.map((user: { email: string }) => user.email)).toEqual([email]);
  const id = listed.items[0].id;
  await expectProblem(await request.get('/api/system/users', { headers: bearer(traveler) }), 403, 'forbidden');

  const disabled = await request.post(`/api/system/users/${id}/disable`, { headers: bearer(it) });
  expect((await disabled.json()).status).toBe('disabled');
  await expect(async () => {
    expect((await request.get('/api/customer/bookings', { headers: bearer(traveler) })).status()).toBe(401);
  }).toPass({ timeout: 1_000 });
  await expectProblem(await request.post('/api/system/auth/login', { data: { email, password: 'traveler-pass-1' } }), 403, 'account_disabled');

  const enabled = await request.post(`/api/system/users/${id}/enable`, { headers: bearer(it) });
  expect((await enabled.json()).status).toBe('active');
  const again = await signIn(request, email, 'traveler-pass-1');
  expect((await request.get('/api/customer/bookings', { headers: bearer(again) })).status()).toBe(200);
});
