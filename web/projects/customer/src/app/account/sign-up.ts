import { Component, inject, input, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { switchMap } from 'rxjs';
import { AuthApi, describeError, passwordProblem, plainTextProblem } from '@astro/shared';

/** A traveller creates an account and is signed in straight away. */
@Component({
  selector: 'astro-sign-up',
  imports: [ReactiveFormsModule, RouterLink],
  template: `
    <section class="card narrow">
      <h1>Create an account</h1>
      <form [formGroup]="form" (ngSubmit)="submit()">
        <label>Name <input formControlName="name" autocomplete="name" /></label>
        <label>Email <input type="email" formControlName="email" autocomplete="email" /></label>
        <label>
          Password
          <input type="password" formControlName="password" autocomplete="new-password" />
          <span class="muted">At least 10 characters, with a letter and a digit.</span>
        </label>
        @if (error()) {
          <p class="error" role="alert">{{ error() }}</p>
        }
        <button type="submit" [disabled]="busy()">Create account</button>
      </form>
      <p>Already registered? <a routerLink="/sign-in" [queryParams]="{ returnUrl: returnUrl() }">Sign in</a></p>
    </section>
  `,
})
export class SignUp {
  readonly returnUrl = input<string>('/');

  private readonly auth = inject(AuthApi);
  private readonly router = inject(Router);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', Validators.required],
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });

  submit(): void {
    const { name, email, password } = this.form.getRawValue();
    const problem = this.form.invalid
      ? 'Enter your name, a valid email and a password.'
      : (plainTextProblem('Name', name) ??
        plainTextProblem('Email', email) ??
        passwordProblem(password, email));
    this.error.set(problem);
    if (problem) {
      return;
    }
    this.busy.set(true);
    this.auth
      .register(name.trim(), email.trim(), password)
      .pipe(switchMap(() => this.auth.signIn(email.trim(), password)))
      .subscribe({
        next: () => this.router.navigateByUrl(this.returnUrl() || '/'),
        error: (error: unknown) => {
          this.busy.set(false);
          this.error.set(describeError(error));
        },
      });
  }
}
