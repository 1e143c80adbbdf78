import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnInit, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { AdminApi, Invoice, describeError, downloadInvoicePdf, formatCents, invoiceStatusName } from '@astro/shared';
import { PaymentFormValue, emptyPaymentForm, toPaymentRequest } from './payment-form';

/** One invoice for finance: how it was computed, its payments, recording a payment, resend, PDF. */
@Component({
  selector: 'astro-invoice-detail',
  imports: [DatePipe, FormsModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p><a routerLink="/invoices">All invoices</a></p>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    @if (invoice(); as invoice) {
      <h1>Invoice {{ invoice.number }} <span class="badge" [class]="invoice.status" data-testid="invoice-status">{{ statusName(invoice.status) }}</span></h1>
      <section class="card">
        <dl>
          <dt>Agency</dt><dd>{{ invoice.agency_name }}@if (invoice.reliable_agency) { (reliable)}</dd>
          <dt>Launch</dt><dd>{{ invoice.mission_name }} ({{ invoice.launch_outcome }})</dd>
          <dt>Issued</dt><dd>{{ invoice.issued_on | date: 'mediumDate' }}</dd>
          <dt>Due</dt><dd>{{ invoice.due_on | date: 'mediumDate' }}</dd>
          <dt>Amount</dt><dd>{{ price(invoice.amount_cents) }}</dd>
          <dt>Paid</dt><dd>{{ price(invoice.paid_cents) }}</dd>
          <dt>Balance</dt><dd data-testid="invoice-balance">{{ price(invoice.balance_cents) }}</dd>
          <dt>Reminders sent</dt><dd>{{ invoice.reminders_sent }}</dd>
        </dl>
        <p class="actions">
          <button type="button" (click)="resend(invoice)" [disabled]="busy()">Resend to the agency</button>
          <button type="button" (click)="download(invoice)">Download PDF</button>
        </p>
        <p class="ok" role="status">{{ notice() }}</p>
      </section>

      <h2>How it was computed</h2>
      <table>
        <thead><tr><th>Line</th><th>Basis</th><th>Rate</th><th>Amount</th></tr></thead>
        <tbody>
          @for (line of invoice.lines; track $index) {
            <tr>
              <td>{{ line.description }}</td>
              <td>{{ line.basis_cents ? price(line.basis_cents) : '' }}</td>
              <td>{{ line.rate_basis_points ? line.rate_basis_points / 100 + ' %' : '' }}</td>
              <td>{{ price(line.amount_cents) }}</td>
            </tr>
          }
        </tbody>
      </table>

      <h2>Payments</h2>
      <table>
        <thead><tr><th>Paid on</th><th>Amount</th><th>Recorded by</th><th>Recorded</th></tr></thead>
        <tbody>
          @for (payment of invoice.payments; track payment.id) {
            <tr data-testid="payment-row">
              <td>{{ payment.paid_on | date: 'mediumDate' }}</td>
              <td>{{ price(payment.amount_cents) }}</td>
              <td>{{ payment.recorded_by }}</td>
              <td>{{ payment.created_at | date: 'medium' }}</td>
            </tr>
          } @empty {
            <tr><td colspan="4" class="muted">No payment yet.</td></tr>
          }
        </tbody>
      </table>

      @if (invoice.balance_cents > 0) {
        <section class="card">
          <h2>Record a payment</h2>
          <form class="inline" (ngSubmit)="record(invoice)" aria-describedby="payment-problem">
            <label>Amount (USD) <input name="amount" inputmode="decimal" required [(ngModel)]="form.amount" /></label>
            <label>Paid on (blank for today) <input name="paidOn" type="date" [(ngModel)]="form.paid_on" /></label>
            <button type="submit" [disabled]="busy()">Record payment</button>
          </form>
          <p id="payment-problem" class="error" role="alert">{{ problem() }}</p>
        </section>
      }
    }
  `,
})
export class InvoiceDetail implements OnInit {
  /** The invoice id, from the route. */
  readonly id = input.required<string>();

  private readonly api = inject(AdminApi);
  protected readonly price = formatCents;
  protected readonly statusName = invoiceStatusName;
  protected readonly invoice = signal<Invoice | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly problem = signal('');
  protected readonly notice = signal('');
  protected readonly busy = signal(false);
  protected form: PaymentFormValue = emptyPaymentForm();

  ngOnInit(): void {
    this.api.invoice(this.id()).subscribe({
      next: (invoice) => this.invoice.set(invoice),
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }

  record(invoice: Invoice): void {
    this.notice.set('');
    const result = toPaymentRequest(this.form);
    if ('problem' in result) {
      this.problem.set(result.problem);
      return;
    }
    this.problem.set('');
    this.busy.set(true);
    this.api.recordPayment(invoice.id, result.request).subscribe({
      next: (updated) => {
        this.busy.set(false);
        this.invoice.set(updated);
        this.form = emptyPaymentForm();
        this.notice.set(`Payment of ${formatCents(result.request.amount_cents)} recorded.`);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.problem.set(describeError(error));
      },
    });
  }

  resend(invoice: Invoice): void {
    this.busy.set(true);
    this.api.resendInvoice(invoice.id).subscribe({
      next: (sent) => {
        this.busy.set(false);
        this.notice.set(`Invoice ${invoice.number} sent again to ${sent.to}.`);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.error.set(describeError(error));
      },
    });
  }

  download(invoice: Invoice): void {
    downloadInvoicePdf(this.api, invoice, (error) => this.error.set(describeError(error)));
  }
}
