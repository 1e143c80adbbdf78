import { DatePipe } from '@angular/common';
import { Component, OnInit, computed, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import {
  AdminApi,
  Launch,
  LaunchPassenger,
  SessionStore,
  StatusChange,
  describeError,
  describeStatusChange,
  formatCents,
  moneyOf,
  reachName,
  statusName,
} from '@astro/shared';
import { occupancyOf } from './occupancy';
import { StatusActions } from './status-actions';

/** One launch of the agency: occupancy against the minimum, money, status changes, history, passengers. */
@Component({
  selector: 'astro-launch-detail',
  imports: [DatePipe, RouterLink, StatusActions],
  template: `
    <p><a routerLink="/launches">← All launches</a></p>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    @if (launch(); as launch) {
      <h1>{{ launch.mission_name }}</h1>
      <p>
        {{ reachName(launch.destination) }} from {{ launch.spaceport }} on {{ launch.rocket_name }} ·
        {{ price(launch.price_per_seat_cents) }} per seat
      </p>
      <p>
        Launch <strong data-testid="launch-at">{{ launch.launch_at | date: 'medium' }}</strong> ·
        <span class="badge" [class]="launch.status" data-testid="launch-status">{{ statusName(launch.status) }}</span>
        @if (launch.status_reason) {
          <span class="muted"> {{ launch.status_reason }}</span>
        }
      </p>
      <p class="ok" role="status">{{ notice() }}</p>

      <div class="grid">
        @if (occupancy(); as seats) {
          <section class="card" data-testid="occupancy" aria-labelledby="occupancy-title">
            <h2 id="occupancy-title">Occupancy</h2>
            <p><strong>{{ seats.sold }}</strong> of {{ seats.capacity }} seats sold ({{ seats.percent }}) · {{ seats.free }} free</p>
            <meter min="0" [max]="seats.capacity" [low]="seats.minimum" [optimum]="seats.capacity" [value]="seats.sold" aria-label="Seats sold">
              {{ seats.percent }}
            </meter>
            <p [class.error]="seats.toMinimum > 0" [class.ok]="seats.toMinimum === 0">{{ seats.minimumText }}</p>
          </section>
        }
        @if (money(); as money) {
          <section class="card" data-testid="money" aria-labelledby="money-title">
            <h2 id="money-title">Money collected</h2>
            <dl>
              <dt>Paid by travellers</dt><dd>{{ money.paid }}</dd>
              <dt>Refunded</dt><dd>{{ money.refunds }}</dd>
              <dt>Revenue</dt><dd><strong>{{ money.revenue }}</strong></dd>
            </dl>
          </section>
        }
      </div>

      <section class="card" aria-labelledby="actions-title">
        <h2 id="actions-title">Change the status</h2>
        <astro-status-actions [launch]="launch" (changed)="changed($event)" (refused)="load()" />
      </section>

      <h2>Status history</h2>
      <table>
        <thead><tr><th>When</th><th>Change</th><th>By</th></tr></thead>
        <tbody>
          @for (change of history(); track $index) {
            <tr data-testid="history-row">
              <td>{{ change.at | date: 'medium' }}</td>
              <td>{{ describeChange(change) }}</td>
              <td>{{ changedBy(change) }}</td>
            </tr>
          }
        </tbody>
      </table>

      <h2>Passengers</h2>
      <table>
        <thead><tr><th>Name</th><th>Email</th><th>Phone</th><th>Age</th></tr></thead>
        <tbody>
          @for (passenger of passengers(); track $index) {
            <tr data-testid="passenger-row">
              <td>{{ passenger.name }}</td>
              <td>{{ passenger.email }}</td>
              <td>{{ passenger.phone }}</td>
              <td>{{ passenger.age }}</td>
            </tr>
          } @empty {
            <tr><td colspan="4" class="muted">No active bookings.</td></tr>
          }
        </tbody>
      </table>
    }
  `,
})
export class LaunchDetail implements OnInit {
  /** The launch id, from the route. */
  readonly id = input.required<string>();

  private readonly api = inject(AdminApi);
  private readonly session = inject(SessionStore);
  protected readonly reachName = reachName;
  protected readonly statusName = statusName;
  protected readonly price = formatCents;
  protected readonly describeChange = describeStatusChange;
  protected readonly launch = signal<Launch | null>(null);
  protected readonly passengers = signal<LaunchPassenger[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal('');
  protected readonly occupancy = computed(() => {
    const launch = this.launch();
    return launch ? occupancyOf(launch) : null;
  });
  protected readonly money = computed(() => {
    const launch = this.launch();
    return launch ? moneyOf(launch) : null;
  });
  /** Newest first: the change just made is on top. */
  protected readonly history = computed(() => [...(this.launch()?.status_history ?? [])].reverse());

  ngOnInit(): void {
    this.load();
  }

  load(): void {
    this.api.launch(this.id()).subscribe({
      next: (launch) => {
        this.launch.set(launch);
        this.error.set(null);
      },
      error: (error: unknown) => this.error.set(describeError(error)),
    });
    this.loadPassengers();
  }

  /** An abort cancels the bookings: the passenger list follows the change. */
  changed(launch: Launch): void {
    this.launch.set(launch);
    this.notice.set(`${launch.mission_name} is now ${statusName(launch.status).toLowerCase()}.`);
    this.loadPassengers();
  }

  private loadPassengers(): void {
    this.api.passengers(this.id()).subscribe({
      next: (passengers) => this.passengers.set(passengers),
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }

  changedBy(change: StatusChange): string {
    if (change.by === 'scheduler') return 'The scheduler (minimum passengers)';
    return change.by === this.session.user()?.id ? 'You' : change.by;
  }
}
