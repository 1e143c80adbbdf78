import { expect, test } from '@playwright/test';

import { expectProblem } from './problem';

// What the nginx edge itself adds: headers, JSON errors, rate limits, compression and caching.
const unique = () => `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const apps = ['/', '/supplier/', '/employee/'];

test('security headers on every kind of answer, and no server version', async ({ request }) => {
  for (const path of [...apps, '/api/customer/launches', '/api/customer/health/live', '/api/nope']) {
    const headers = (await request.get(path)).headers();
    expect(headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy'], path).toContain("script-src 'self'");
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['x-frame-options'], path).toBe('DENY');
    expect(headers['referrer-policy'], path).toBe('same-origin');
    expect(headers['server'] ?? '', path).not.toMatch(/\d/);
  }
});

test('an unknown API path is a 404 JSON problem, not the customer app', async ({ request }) => {
  await expectProblem(await request.get('/api/nope'), 404, 'not_found');
  await expectProblem(await request.post('/api/nope/deeper', { data: {} }), 404, 'not_found');
});

test('a body over 64 KiB is refused by the edge with 413 payload_too_large', async ({ request }) => {
  const response = await request.post('/api/system/auth/register', {
    data: { name: 'Big', email: `big-${unique()}@astro.test`, password: 'x'.repeat(64 * 1024) },
  });
  await expectProblem(response, 413, 'payload_too_large');
});

test('a burst of sign-ins is cut by the edge with 429 JSON and Retry-After', async ({ request }) => {
  // The right password: the roles' own throttle counts failures, and this is about the edge's.
  const email = `burst-${unique()}@astro.test`;
  const registered = await request.post('/api/system/auth/register', { data: { name: 'Burst', email, password: 'burst-pass-12' } });
  expect(registered.status()).toBe(201);
  const answers = await Promise.all(
    Array.from({ length: 60 }, () => request.post('/api/system/auth/login', { data: { email, password: 'burst-pass-12' } })),
  );
  expect([...new Set(answers.map((answer) => answer.status()))].sort()).toEqual([200, 429]);
  // Some 429s may be the system role's (more than 5 sign-ins of one account at once); at least
  // one is the edge's, and every one is the same JSON problem with Retry-After.
  const messages: string[] = [];
  for (const limited of answers.filter((answer) => answer.status() === 429)) {
    messages.push((await expectProblem(limited, 429, 'rate_limited')).message);
    expect(Number(limited.headers()['retry-after'])).toBeGreaterThan(0);
  }
  expect(messages).toContain('too many requests, try again shortly');
});

test('scripts are gzipped and cached for a year under their hashed name; index.html is revalidated', async ({ request }) => {
  for (const app of apps) {
    const index = await request.get(app);
    expect(index.headers()['cache-control']).toBe('no-cache');
    const script = (await index.text()).match(/src="(main-[A-Z0-9]+\.js)"/)?.[1];
    expect(script, app).toBeTruthy();
    const asset = await request.get(`${app}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status()).toBe(200);
    expect(asset.headers()['content-encoding']).toBe('gzip');
    expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  }
});

test('the three apps start under the Content Security Policy', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(error.message));
  for (const app of apps) {
    await page.goto(app);
    await expect(page.locator('astro-root *').first(), app).toBeVisible();
  }
  expect(violations).toEqual([]);
});
