import { inject } from '@angular/core';
import { Router, Routes } from '@angular/router';
import { AdminBookings, SessionStore, SignIn, requireRole } from '@astro/shared';
import { InvoiceDetail } from './finance/invoice-detail';
import { Invoices } from './finance/invoices';
import { FinanceLaunches } from './finance/launches';
import { Revenue } from './finance/revenue';
import { Accounts } from './it/accounts';
import { Health } from './it/health';
import { Jobs } from './it/jobs';
import { Logs } from './it/logs';
import { Notifications } from './it/notifications';
import { SyncJobs } from './it/sync-jobs';

const it = requireRole('it');
const financial = requireRole('financial');

/** Finance starts on bookings, IT on the logs. */
const home = () => inject(Router).createUrlTree([inject(SessionStore).hasRole('it') ? '/logs' : '/bookings']);

export const routes: Routes = [
  { path: '', pathMatch: 'full', canActivate: [home], children: [] },
  {
    path: 'sign-in',
    component: SignIn,
    data: { roles: ['financial', 'it'], audience: 'the employee app' },
    title: 'Sign in · Astro Bookings employees',
  },
  { path: 'bookings', component: AdminBookings, canActivate: [requireRole('financial', 'it')], title: 'Bookings · Astro Bookings employees' },
  { path: 'launches', component: FinanceLaunches, canActivate: [financial], title: 'Launches · Astro Bookings employees' },
  { path: 'invoices', component: Invoices, canActivate: [financial], title: 'Invoices · Astro Bookings employees' },
  { path: 'invoices/:id', component: InvoiceDetail, canActivate: [financial], title: 'Invoice · Astro Bookings employees' },
  { path: 'revenue', component: Revenue, canActivate: [financial], title: 'Revenue · Astro Bookings employees' },
  { path: 'logs', component: Logs, canActivate: [it], title: 'Logs · Astro Bookings employees' },
  { path: 'notifications', component: Notifications, canActivate: [it], title: 'Notifications · Astro Bookings employees' },
  { path: 'sync-jobs', component: SyncJobs, canActivate: [it], title: 'Sync jobs · Astro Bookings employees' },
  { path: 'jobs', component: Jobs, canActivate: [it], title: 'Scheduler jobs · Astro Bookings employees' },
  { path: 'health', component: Health, canActivate: [it], title: 'Health · Astro Bookings employees' },
  { path: 'accounts', component: Accounts, canActivate: [it], title: 'Accounts · Astro Bookings employees' },
  { path: '**', redirectTo: '' },
];
