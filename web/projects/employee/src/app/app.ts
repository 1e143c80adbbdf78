import { Component } from '@angular/core';
import { NavLink, Shell } from '@astro/shared';

@Component({
  selector: 'astro-root',
  imports: [Shell],
  template: `<astro-shell appName="Employees" [links]="links" />`,
})
export class App {
  protected readonly links: NavLink[] = [
    { label: 'Bookings', path: '/bookings', roles: ['financial', 'it'] },
    { label: 'Launches', path: '/launches', roles: ['financial'] },
    { label: 'Invoices', path: '/invoices', roles: ['financial'] },
    { label: 'Revenue', path: '/revenue', roles: ['financial'] },
    { label: 'Logs', path: '/logs', roles: ['it'] },
    { label: 'Notifications', path: '/notifications', roles: ['it'] },
    { label: 'Sync jobs', path: '/sync-jobs', roles: ['it'] },
    { label: 'Jobs', path: '/jobs', roles: ['it'] },
    { label: 'Health', path: '/health', roles: ['it'] },
    { label: 'Accounts', path: '/accounts', roles: ['it'] },
  ];
}
