import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { AdminApi, INVOICE_STATUSES, Invoice, InvoiceFilter, describeError, formatCents, invoiceStatusName } from '@astro/shared';

/** Every agency's invoices for finance, filtered by status, agency and issue dates. */
@Component({
  selector: 'astro-invoices',
  imports: [DatePipe, FormsModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Invoices</h1>
    <form class="inline card" (ngSubmit)="load()" aria-label="Filter invoices">
      <label>
        Status
        <select name="status" [(ngModel)]="filter.status">
          <option value="">Any status</option>
          @for (status of statuses; track status) {
            <option [value]="status">{{ statusName(status) }}</option>
          }
        </select>
      </label>
      <label>Agency id <input name="agency" [(ngModel)]="filter.agency_id" autocomplete="off" /></label>
      <label>Issued from <input name="from" type="date" [(ngModel)]="filter.from" /></label>
      <label>Issued to <input name="to" type="date" [(ngModel)]="filter.to" /></label>
      <button type="submit">Show</button>
    </form>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <table>
      <caption class="muted">{{ invoices().length }} invoices</caption>
      <thead>
        <tr><th>Number</th><th>Agency</th><th>Mission</th><th>Issued</th><th>Due</th><th>Amount</th><th>Paid</th><th>Status</th></tr>
      </thead>
      <tbody>
        @for (invoice of invoices(); track invoice.id) {
          <tr data-testid="invoice-row">
            <td><a [routerLink]="['/invoices', invoice.id]">{{ invoice.number }}</a></td>
            <td>{{ invoice.agency_name }}</td>
            <td>{{ invoice.mission_name }}</td>
            <td>{{ invoice.issued_on | date: 'mediumDate' }}</td>
            <td>{{ invoice.due_on | date: 'mediumDate' }}</td>
            <td>{{ price(invoice.amount_cents) }}</td>
            <td>{{ price(invoice.paid_cents) }}</td>
            <td><span class="badge" [class]="invoice.status">{{ statusName(invoice.status) }}</span></td>
          </tr>
        } @empty {
          <tr><td colspan="8" class="muted">No invoices match.</td></tr>
        }
      </tbody>
    </table>
  `,
})
export class Invoices implements OnInit {
  private readonly api = inject(AdminApi);
  protected readonly price = formatCents;
  protected readonly statusName = invoiceStatusName;
  protected readonly statuses = INVOICE_STATUSES;
  protected readonly invoices = signal<Invoice[]>([]);
  protected readonly error = signal<string | null>(null);
  protected filter: InvoiceFilter = { status: '', agency_id: '', from: '', to: '' };

  ngOnInit(): void {
    this.load();
  }

  load(): void {
    this.api.invoices(this.filter).subscribe({
      next: (invoices) => {
        this.invoices.set(invoices);
        this.error.set(null);
      },
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }
}
