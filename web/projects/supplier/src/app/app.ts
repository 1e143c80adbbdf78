import { Component } from '@angular/core';
import { NavLink, Shell } from '@astro/shared';

@Component({
  selector: 'astro-root',
  imports: [Shell],
  template: `<astro-shell appName="Agencies" [links]="links" />`,
})
export class App {
  protected readonly links: NavLink[] = [
    { label: 'Launches', path: '/launches', roles: ['agency'] },
    { label: 'Rockets', path: '/rockets', roles: ['agency'] },
    { label: 'Bookings', path: '/bookings', roles: ['agency'] },
    { label: 'Invoices', path: '/invoices', roles: ['agency'] },
    { label: 'Profile', path: '/profile', roles: ['agency'] },
  ];
}
