import { Component } from '@angular/core';
import { NavLink, Shell } from '@astro/shared';

@Component({
  selector: 'astro-root',
  imports: [Shell],
  template: `<astro-shell appName="Travel" [links]="links" />`,
})
export class App {
  protected readonly links: NavLink[] = [
    { label: 'Launches', path: '/launches' },
    { label: 'My bookings', path: '/bookings', roles: ['traveler'] },
    { label: 'Profile', path: '/profile', roles: ['traveler'] },
  ];
}
