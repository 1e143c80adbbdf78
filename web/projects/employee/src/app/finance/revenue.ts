import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { AdminApi, RevenueFilter, RevenueReport, describeError, formatCents, saveBlob } from '@astro/shared';
import { CHART_BAR_WIDTH, revenueChart } from './revenue-chart';

/** The revenue report: per agency and in all, received against pending per month, and its CSV. */
@Component({
  selector: 'astro-revenue',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Revenue</h1>
    <form class="inline card" (ngSubmit)="load()" aria-label="Report period">
      <label>Issued from <input name="from" type="date" [(ngModel)]="filter.from" /></label>
      <label>Issued to <input name="to" type="date" [(ngModel)]="filter.to" /></label>
      <label>Agency id <input name="agency" [(ngModel)]="filter.agency_id" autocomplete="off" /></label>
      <button type="submit">Show</button>
      <button type="button" (click)="downloadCsv()">Download CSV</button>
    </form>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    @if (report(); as report) {
      <p class="muted">Invoices issued from {{ report.from }} to {{ report.to }}.</p>
      <table data-testid="revenue-table">
        <thead>
          <tr>
            <th>Agency</th><th>Launched</th><th>Aborted</th><th>Net revenue</th><th>Fees invoiced</th><th>Received</th><th>Pending</th>
          </tr>
        </thead>
        <tbody>
          @for (agency of report.agencies; track agency.agency_id) {
            <tr data-testid="revenue-row">
              <td>{{ agency.agency_name }}@if (agency.reliable) {<br /><span class="muted">reliable (0.8 %)</span>}</td>
              <td>{{ agency.launched }}</td>
              <td>{{ agency.aborted }}</td>
              <td>{{ price(agency.net_revenue_cents) }}</td>
              <td>{{ price(agency.fees_invoiced_cents) }}</td>
              <td>{{ price(agency.received_cents) }}</td>
              <td>{{ price(agency.pending_cents) }}</td>
            </tr>
          } @empty {
            <tr><td colspan="7" class="muted">No invoice in the period.</td></tr>
          }
        </tbody>
        <tfoot>
          <tr data-testid="revenue-totals">
            <th scope="row">Total</th>
            <td>{{ report.totals.launched }}</td>
            <td>{{ report.totals.aborted }}</td>
            <td>{{ price(report.totals.net_revenue_cents) }}</td>
            <td>{{ price(report.totals.fees_invoiced_cents) }}</td>
            <td>{{ price(report.totals.received_cents) }}</td>
            <td>{{ price(report.totals.pending_cents) }}</td>
          </tr>
        </tfoot>
      </table>

      <h2 id="months-heading">Received against pending, per month</h2>
      @if (chart(); as chart) {
        <section class="card">
          <svg
            role="img"
            aria-labelledby="chart-title"
            [attr.viewBox]="'0 0 ' + chart.width + ' ' + (chart.height + 20)"
            [attr.width]="chart.width"
            [attr.height]="chart.height + 20"
          >
            <title id="chart-title">{{ chartTitle() }}</title>
            <line x1="0" [attr.y1]="chart.height" [attr.x2]="chart.width" [attr.y2]="chart.height" stroke="#5b6478" />
            @for (month of chart.months; track month.month) {
              <g>
                <rect [attr.x]="month.received.x" [attr.y]="month.received.y" [attr.width]="barWidth" [attr.height]="month.received.height" fill="#157f3b" />
                <rect [attr.x]="month.pending.x" [attr.y]="month.pending.y" [attr.width]="barWidth" [attr.height]="month.pending.height" fill="#d9a21b" />
                <text [attr.x]="month.received.x" [attr.y]="chart.height + 15" font-size="10" fill="#1c2230">{{ month.month }}</text>
              </g>
            }
          </svg>
          <p class="muted"><span class="swatch received"></span> received · <span class="swatch pending"></span> pending</p>
        </section>
      }
      <table aria-labelledby="months-heading">
        <thead><tr><th>Month</th><th>Fees invoiced</th><th>Received</th><th>Pending</th></tr></thead>
        <tbody>
          @for (month of report.months; track month.month) {
            <tr data-testid="month-row">
              <td>{{ month.month }}</td>
              <td>{{ price(month.fees_invoiced_cents) }}</td>
              <td>{{ price(month.received_cents) }}</td>
              <td>{{ price(month.pending_cents) }}</td>
            </tr>
          } @empty {
            <tr><td colspan="4" class="muted">No month to show.</td></tr>
          }
        </tbody>
      </table>
    }
  `,
  styles: `
    svg { max-width: 100%; height: auto; }
    .swatch { display: inline-block; width: 0.8rem; height: 0.8rem; vertical-align: middle; }
    .swatch.received { background: #157f3b; }
    .swatch.pending { background: #d9a21b; }
  `,
})
export class Revenue implements OnInit {
  private readonly api = inject(AdminApi);
  protected readonly price = formatCents;
  protected readonly barWidth = CHART_BAR_WIDTH;
  protected readonly report = signal<RevenueReport | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly chart = computed(() => {
    const report = this.report();
    return report && report.months.length > 0 ? revenueChart(report.months) : null;
  });
  protected readonly chartTitle = computed(() =>
    ['Received (green) against pending (amber) per month.', ...(this.chart()?.months.map((month) => `${month.label}.`) ?? [])].join(' '),
  );
  protected filter: RevenueFilter = { from: '', to: '', agency_id: '' };

  ngOnInit(): void {
    this.load();
  }

  load(): void {
    this.api.revenue(this.filter).subscribe({
      next: (report) => {
        this.report.set(report);
        this.error.set(null);
      },
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }

  downloadCsv(): void {
    this.api.revenueCsv(this.filter).subscribe({
      next: (blob) => saveBlob(blob, `revenue-${this.report()?.from ?? 'report'}-${this.report()?.to ?? ''}.csv`),
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }
}
