import { Component, computed, inject, input } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthApi } from './auth-api';
import { Role } from './models';
import { SessionStore } from './session';

export interface NavLink {
  label: string;
  path: string;
  /** Shown only to these roles; shown to everyone when absent. */
  roles?: Role[];
}

/** Header, navigation for the signed-in role, sign-in/sign-out, and the page below. */
@Component({
  selector: 'astro-shell',
  imports: [RouterLink, RouterLinkActive, RouterOutlet],
  template: `
    <header class="bar">
      <a class="brand" routerLink="/">Astro Bookings · {{ appName() }}</a>
      <nav>
        @for (link of visibleLinks(); track link.path) {
          <a [routerLink]="link.path" routerLinkActive="active">{{ link.label }}</a>
        }
      </nav>
      <span class="who">
        @if (store.user(); as user) {
          <span data-testid="signed-in-as">{{ user.name }} ({{ user.role }})</span>
          <button type="button" class="link" (click)="signOut()">Sign out</button>
        } @else {
          <a routerLink="/sign-in">Sign in</a>
        }
      </span>
    </header>
    <main><router-outlet /></main>
  `,
})
export class Shell {
  readonly appName = input.required<string>();
  readonly links = input.required<NavLink[]>();

  protected readonly store = inject(SessionStore);
  private readonly auth = inject(AuthApi);
  private readonly router = inject(Router);

  protected readonly visibleLinks = computed(() => {
    const role = this.store.user()?.role;
    return this.links().filter((link) => !link.roles || (role !== undefined && link.roles.includes(role)));
  });

  signOut(): void {
    this.auth.signOut().subscribe(() => this.router.navigateByUrl('/'));
  }
}
