import { readFile } from 'node:fs/promises';

import { expect, test } from '@playwright/test';

import {
  agencyOverApi,
  apiSignIn,
  bearer,
  itEmail,
  itPassword,
  launchOverApi,
  nav,
  signIn,
  signOut,
  stamp,
  travellerOverApi,
} from './browser-steps';

// Issue 10 in the browser: an aborted launch is invoiced by the system; finance sees the refund in
// its launches, records the payment in two parts and sees the invoice become paid; the agency
// downloads the invoice's PDF from the supplier app.
test.describe.configure({ timeout: 180_000 });

test('finance records payments until the invoice is paid; the agency downloads its PDF', async ({ page, request }) => {
  const tag = stamp();
  const agencyEmail = `money-agency-${tag}@astro.test`;
  const financeEmail = `money-finance-${tag}@astro.test`;
  const mission = `Money Mission ${tag}`;

  // Set-up over the APIs: the agency's launch with one booked seat, aborted; a financial employee.
  const agency = bearer(await agencyOverApi(request, 'Money Agency', agencyEmail, 'agency-pass-12'));
  const launch = await launchOverApi(request, agency, mission, `Money Hopper ${tag}`);
  const traveller = bearer(await travellerOverApi(request, 'Money Traveller', `money-traveler-${tag}@astro.test`, 'traveler-pass-1'));
  await expect.poll(async () => (await request.get(`/api/customer/launches/${launch.slug}`)).status(), { timeout: 20_000 }).toBe(200);
  const booked = await request.post('/api/customer/bookings', {
    headers: { ...traveller, 'Idempotency-Key': tag },
    data: { launch_id: launch.id, passengers: [{ name: 'Penny Money', email: `penny-${tag}@astro.test`, phone: '+1 555 0100', age: 40 }] },
  });
  expect(booked.status()).toBe(201);
  await expect
    .poll(async () => (await (await request.get(`/api/admin/launches/${launch.id}`, { headers: agency })).json()).seats_sold, { timeout: 20_000 })
    .toBe(1);
  const aborted = await request.post(`/api/admin/launches/${launch.id}/abort`, { headers: agency, data: { reason: 'range safety' } });
  expect(aborted.status()).toBe(200);
  const it = bearer(await apiSignIn(request, itEmail, itPassword));
  const finance = await request.post('/api/system/users', {
    headers: it,
    data: { name: 'Fiona Finance', email: financeEmail, password: 'finance-pass-1', role: 'financial' },
  });
  expect(finance.status()).toBe(201);

  // Finance sees the aborted launch's booking refunded in full: nothing stays.
  await signIn(page, '/employee/', financeEmail, 'finance-pass-1');
  await nav(page, 'Launches');
  const launchRow = page.getByTestId('launch-row').filter({ hasText: mission });
  await expect(async () => {
    await page.reload();
    await expect(launchRow.getByRole('cell')).toHaveText(
      [new RegExp(mission), /.+/, 'Aborted', /.+/, '$1,000.00', '$1,000.00', '$0.00'],
      { timeout: 1_000 },
    );
  }).toPass({ timeout: 20_000 });

  // The invoice the abort issued: a flat 1,000.00, pending.
  await nav(page, 'Invoices');
  const invoiceRow = page.getByTestId('invoice-row').filter({ hasText: mission });
  await expect(async () => {
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(invoiceRow).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(invoiceRow).toContainText('$1,000.00');
  await expect(invoiceRow).toContainText('Pending');
  const number = (await invoiceRow.getByRole('link').textContent())?.trim() ?? '';
  expect(number).toMatch(/^INV-\d{4}-\d{4,}$/);
  await invoiceRow.getByRole('link', { name: number }).click();
  const status = page.getByTestId('invoice-status');
  await expect(status).toHaveText('Pending');

  // A payment above the balance is refused and changes nothing.
  await page.getByLabel('Amount (USD)').fill('1000.01');
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(page.locator('#payment-problem')).not.toBeEmpty();
  await expect(page.getByTestId('payment-row')).toHaveCount(0);

  // Two payments settle it.
  await page.getByLabel('Amount (USD)').fill('400');
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(page.getByRole('status')).toHaveText('Payment of $400.00 recorded.');
  await expect(status).toHaveText('Partially paid');
  await expect(page.getByTestId('invoice-balance')).toHaveText('$600.00');
  await page.getByLabel('Amount (USD)').fill('600.00');
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(status).toHaveText('Paid');
  await expect(page.getByTestId('invoice-balance')).toHaveText('$0.00');
  await expect(page.getByTestId('payment-row')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Record payment' })).toHaveCount(0);
  await page.reload();
  await expect(status).toHaveText('Paid');
  await signOut(page);

  // The agency sees it paid and downloads the PDF.
  await signIn(page, '/supplier/', agencyEmail, 'agency-pass-12');
  await nav(page, 'Invoices');
  const own = page.getByTestId('invoice-row').filter({ hasText: number });
  await expect(own).toContainText('Paid');
  const downloading = page.waitForEvent('download');
  await own.getByRole('button', { name: `Download ${number} as PDF` }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${number}.pdf`);
  const pdf = await readFile(await download.path());
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(1_000);
});
