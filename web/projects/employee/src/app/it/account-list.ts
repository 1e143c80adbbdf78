import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { SessionStore, User, describeError } from '@astro/shared';
import { AccountFilter, SystemApi } from '../system-api';
import { AccountButton, accountButton, replaceAccount } from './account-actions';

/** Every account, by role and text; IT disables (signing it out everywhere) and enables them. */
@Component({
  selector: 'astro-account-list',
  imports: [DatePipe, FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card">
      <h2>All accounts</h2>
      <form class="inline" (ngSubmit)="load()">
        <label>
          Show
          <select name="role" [(ngModel)]="filter.role" (ngModelChange)="load()">
            <option value="">Any</option>
            <option value="traveler">Traveller</option>
            <option value="agency">Agency</option>
            <option value="financial">Financial</option>
            <option value="it">IT</option>
          </select>
        </label>
        <label>Text <input name="q" [(ngModel)]="filter.q" placeholder="name or email" /></label>
        <button type="submit">Search</button>
      </form>
      @if (error()) {
        <p class="error" role="alert">{{ error() }}</p>
      }
      <table>
        <thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Status</th><th>Since</th><th><span class="muted">Action</span></th></tr></thead>
        <tbody>
          @for (account of accounts(); track account.id) {
            <tr data-testid="account-row">
              <td>{{ account.name }}</td>
              <td>{{ account.email }}</td>
              <td>{{ account.role }}</td>
              <td><span class="badge" [class]="account.status">{{ account.status }}</span></td>
              <td>{{ account.created_at | date: 'mediumDate' }}</td>
              <td>
                @if (button(account); as button) {
                  <button
                    type="button"
                    [attr.aria-label]="button.label + ' ' + account.email"
                    [disabled]="busy() === account.id"
                    (click)="change(account, button)"
                  >
                    {{ button.label }}
                  </button>
                } @else {
                  <span class="muted">you</span>
                }
              </td>
            </tr>
          } @empty {
            <tr><td colspan="6" class="muted">No accounts match.</td></tr>
          }
        </tbody>
      </table>
    </section>
  `,
})
export class AccountList implements OnInit {
  private readonly api = inject(SystemApi);
  private readonly session = inject(SessionStore);
  protected filter: AccountFilter = { role: '', q: '' };
  protected readonly accounts = signal<User[]>([]);
  protected readonly error = signal<string | null>(null);
  /** The account whose change is on its way. */
  protected readonly busy = signal<string | null>(null);

  ngOnInit(): void {
    this.load();
  }

  load(): void {
    this.api.accounts(this.filter).subscribe({
      next: (accounts) => {
        this.accounts.set(accounts);
        this.error.set(null);
      },
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }

  protected button(account: User): AccountButton | null {
    return accountButton(account, this.session.user()?.id);
  }

  protected change(account: User, button: AccountButton): void {
    this.busy.set(account.id);
    this.api.changeAccount(account, button.action).subscribe({
      next: (changed) => {
        this.busy.set(null);
        this.accounts.update((accounts) => replaceAccount(accounts, changed));
        this.error.set(null);
      },
      error: (error: unknown) => {
        this.busy.set(null);
        this.error.set(describeError(error));
      },
    });
  }
}
