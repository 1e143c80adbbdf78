import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { AdminApi, Invoice, describeError, downloadInvoicePdf, formatCents, invoiceStatusName } from '@astro/shared';

/** The agency's own invoices from the platform: what is due when, what is paid, and the PDF. */
@Component({
  selector: 'astro-agency-invoices',
  imports: [DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Invoices</h1>
    <p class="muted">The platform's fee for each launch that launched or was aborted; pay each by its due date.</p>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <table>
      <thead>
        <tr><th>Number</th><th>Mission</th><th>Issued</th><th>Due</th><th>Amount</th><th>Paid</th><th>Status</th><th><span class="muted">PDF</span></th></tr>
      </thead>
      <tbody>
        @for (invoice of invoices(); track invoice.id) {
          <tr data-testid="invoice-row">
            <td>{{ invoice.number }}</td>
            <td>{{ invoice.mission_name }}</td>
            <td>{{ invoice.issued_on | date: 'mediumDate' }}</td>
            <td>{{ invoice.due_on | date: 'mediumDate' }}</td>
            <td>{{ price(invoice.amount_cents) }}</td>
            <td>{{ price(invoice.paid_cents) }}</td>
            <td><span class="badge" [class]="invoice.status">{{ statusName(invoice.status) }}</span></td>
            <td>
              <button type="button" (click)="download(invoice)" [attr.aria-label]="'Download ' + invoice.number + ' as PDF'">Download PDF</button>
            </td>
          </tr>
        } @empty {
          <tr><td colspan="8" class="muted">No invoice yet.</td></tr>
        }
      </tbody>
    </table>
  `,
})
export class AgencyInvoices implements OnInit {
  private readonly api = inject(AdminApi);
  protected readonly price = formatCents;
  protected readonly statusName = invoiceStatusName;
  protected readonly invoices = signal<Invoice[]>([]);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    this.api.invoices().subscribe({
      next: (invoices) => this.invoices.set(invoices),
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }

  download(invoice: Invoice): void {
    downloadInvoicePdf(this.api, invoice, (error) => this.error.set(describeError(error)));
  }
}
