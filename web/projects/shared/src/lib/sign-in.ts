import { Component, inject, input, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { AuthApi } from './auth-api';
import { Role } from './models';
import { describeError } from './problem';
import { SessionStore } from './session';

/**
 * The sign-in page of every app. Route data gives the roles this app serves; an account of another
 * role is signed out again with a clear message instead of landing on pages it cannot use.
 */
@Component({
  selector: 'astro-sign-in',
  imports: [ReactiveFormsModule, RouterLink],
  template: `
    <section class="card narrow">
      <h1>Sign in</h1>
      <form [formGroup]="form" (ngSubmit)="submit()">
        <label>Email <input type="email" formControlName="email" autocomplete="username" /></label>
        <label>Password <input type="password" formControlName="password" autocomplete="current-password" /></label>
        @if (error()) {
          <p class="error" role="alert">{{ error() }}</p>
        }
        <button type="submit" [disabled]="busy()">Sign in</button>
      </form>
      @if (signUpLink()) {
        <p>New here? <a routerLink="/sign-up" [queryParams]="{ returnUrl: returnUrl() }">Create an account</a></p>
      }
    </section>
  `,
})
export class SignIn {
  readonly roles = input.required<Role[]>();
  readonly audience = input('this app');
  readonly signUpLink = input(false);
  readonly returnUrl = input<string>('/');

  private readonly auth = inject(AuthApi);
  private readonly store = inject(SessionStore);
  private readonly router = inject(Router);

  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });

  submit(): void {
    if (this.form.invalid) {
      this.error.set('Enter your email and password.');
      return;
    }
    const { email, password } = this.form.getRawValue();
    this.busy.set(true);
    this.error.set(null);
    this.auth.signIn(email, password).subscribe({
      next: () => {
        this.busy.set(false);
        if (!this.store.hasRole(...this.roles())) {
          this.store.clear();
          this.error.set(`This account cannot use ${this.audience()}.`);
          return;
        }
        this.router.navigateByUrl(this.returnUrl() || '/');
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.error.set(describeError(error));
      },
    });
  }
}
