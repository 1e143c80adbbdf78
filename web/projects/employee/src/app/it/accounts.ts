import { Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { AuthApi, User, describeError, passwordProblem, plainTextProblem } from '@astro/shared';
import { AccountList } from './account-list';

/** IT opens accounts for agencies and employees (travellers sign themselves up), and disables
 * and enables any account. */
@Component({
  selector: 'astro-accounts',
  imports: [AccountList, ReactiveFormsModule],
  template: `
    <h1>Accounts</h1>
    <section class="card narrow">
      <h2>Open an account</h2>
      <form [formGroup]="form" (ngSubmit)="submit()">
        <label>
          Role
          <select formControlName="role">
            <option value="agency">Agency (supplier)</option>
            <option value="financial">Financial employee</option>
            <option value="it">IT employee</option>
          </select>
        </label>
        <label>Name <input formControlName="name" /></label>
        <label>Email <input type="email" formControlName="email" /></label>
        <label>
          First password
          <input type="password" formControlName="password" autocomplete="new-password" />
          <span class="muted">At least 10 characters, with a letter and a digit.</span>
        </label>
        @if (error()) {
          <p class="error" role="alert">{{ error() }}</p>
        }
        @if (created(); as user) {
          <p class="ok" data-testid="account-created">Opened {{ user.role }} account for {{ user.email }}.</p>
        }
        <button type="submit" [disabled]="busy()">Open account</button>
      </form>
    </section>
    <astro-account-list />
  `,
})
export class Accounts {
  private readonly auth = inject(AuthApi);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly created = signal<User | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    role: ['agency' as 'agency' | 'financial' | 'it'],
    name: ['', Validators.required],
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });

  submit(): void {
    const { role, name, email, password } = this.form.getRawValue();
    const problem = this.form.invalid
      ? 'Enter a name, a valid email and a password.'
      : (plainTextProblem('Name', name) ??
        plainTextProblem('Email', email) ??
        passwordProblem(password, email));
    this.error.set(problem);
    this.created.set(null);
    if (problem) {
      return;
    }
    this.busy.set(true);
    this.auth.createAccount(name.trim(), email.trim(), password, role).subscribe({
      next: (user) => {
        this.busy.set(false);
        this.created.set(user);
        this.form.reset({ role });
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.error.set(describeError(error));
      },
    });
  }
}
