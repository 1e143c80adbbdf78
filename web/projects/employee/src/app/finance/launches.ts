import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { AdminApi, Launch, describeError, moneyOf, moneyOfAll, statusName } from '@astro/shared';

/**
 * Every agency's launches for finance: what travellers paid, what was refunded and the net that the
 * platform's fee is taken on, so a cancelled booking never counts at its full price.
 */
@Component({
  selector: 'astro-finance-launches',
  imports: [DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Launches</h1>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <p class="muted" data-testid="launch-totals">
      {{ launches().length }} launches · {{ totals().paid }} paid · {{ totals().refunds }} refunded ·
      <strong>{{ totals().revenue }} net</strong>
    </p>
    <table>
      <thead>
        <tr><th>Mission</th><th>Launch date</th><th>Status</th><th>Seats sold</th><th>Paid</th><th>Refunds</th><th>Net</th></tr>
      </thead>
      <tbody>
        @for (launch of launches(); track launch.id) {
          <tr data-testid="launch-row">
            <td>{{ launch.mission_name }}<br /><span class="muted">{{ launch.rocket_name }}</span></td>
            <td>{{ launch.launch_at | date: 'medium' }}</td>
            <td><span class="badge" [class]="launch.status">{{ status(launch.status) }}</span></td>
            <td>{{ launch.seats_sold }} of {{ launch.capacity }}</td>
            <td>{{ money(launch).paid }}</td>
            <td>{{ launch.refunds_cents ? money(launch).refunds : '' }}</td>
            <td>{{ money(launch).revenue }}</td>
          </tr>
        } @empty {
          <tr><td colspan="7" class="muted">No launches yet.</td></tr>
        }
      </tbody>
    </table>
  `,
})
export class FinanceLaunches implements OnInit {
  private readonly api = inject(AdminApi);
  protected readonly money = moneyOf;
  protected readonly status = statusName;
  protected readonly launches = signal<Launch[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly totals = computed(() => moneyOfAll(this.launches()));

  ngOnInit(): void {
    this.api.launches().subscribe({
      next: (launches) => this.launches.set(launches),
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }
}
