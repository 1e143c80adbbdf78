import { Routes } from '@angular/router';
import { SignIn, requireRole } from '@astro/shared';
import { LaunchDetail } from './launches/launch-detail';
import { LaunchList } from './launches/launch-list';
import { MyBookings } from './bookings/my-bookings';
import { SignUp } from './account/sign-up';
import { TravelerProfilePage } from './account/traveler-profile';

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'launches' },
  { path: 'launches', component: LaunchList, title: 'Launches · Astro Bookings' },
  { path: 'launches/:slug', component: LaunchDetail, title: 'Launch · Astro Bookings' },
  { path: 'sign-up', component: SignUp, title: 'Create an account · Astro Bookings' },
  {
    path: 'sign-in',
    component: SignIn,
    data: { roles: ['traveler'], audience: 'the travel app', signUpLink: true },
    title: 'Sign in · Astro Bookings',
  },
  { path: 'bookings', component: MyBookings, canActivate: [requireRole('traveler')], title: 'My bookings · Astro Bookings' },
  { path: 'profile', component: TravelerProfilePage, canActivate: [requireRole('traveler')], title: 'Profile · Astro Bookings' },
  { path: '**', redirectTo: 'launches' },
];
