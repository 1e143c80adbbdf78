import { Routes } from '@angular/router';
import { AdminBookings, SignIn, requireRole } from '@astro/shared';
import { AgencyInvoices } from './invoices/invoices';
import { LaunchDetail } from './launches/launch-detail';
import { Launches } from './launches/launches';
import { AgencyProfilePage } from './profile/agency-profile';
import { Rockets } from './rockets/rockets';

const agency = requireRole('agency');

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'launches' },
  {
    path: 'sign-in',
    component: SignIn,
    data: { roles: ['agency'], audience: 'the agency app' },
    title: 'Sign in · Astro Bookings agencies',
  },
  { path: 'launches', component: Launches, canActivate: [agency], title: 'Launches · Astro Bookings agencies' },
  { path: 'launches/:id', component: LaunchDetail, canActivate: [agency], title: 'Launch · Astro Bookings agencies' },
  { path: 'rockets', component: Rockets, canActivate: [agency], title: 'Rockets · Astro Bookings agencies' },
  { path: 'bookings', component: AdminBookings, canActivate: [agency], title: 'Bookings · Astro Bookings agencies' },
  { path: 'invoices', component: AgencyInvoices, canActivate: [agency], title: 'Invoices · Astro Bookings agencies' },
  { path: 'profile', component: AgencyProfilePage, canActivate: [agency], title: 'Profile · Astro Bookings agencies' },
  { path: '**', redirectTo: 'launches' },
];
