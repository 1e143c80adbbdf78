import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { AdminApi } from './admin-api';
import { bookingTotals, netOf } from './booking-money';
import { formatCents } from './format';
import { AdminBooking, Launch } from './models';
import { describeError } from './problem';

/**
 * Bookings from the operations DB, by launch. The admin API decides the scope: an agency sees its
 * own launches, finance and IT see all.
 */
@Component({
  selector: 'astro-admin-bookings',
  imports: [DatePipe, FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Bookings</h1>
    <form class="inline card">
      <label>
        Launch
        <select name="launch" [(ngModel)]="launchId" (ngModelChange)="load()">
          <option value="">All launches</option>
          @for (launch of launches(); track launch.id) {
            <option [value]="launch.id">{{ launch.mission_name }} ({{ launch.launch_at | date: 'mediumDate' }})</option>
          }
        </select>
      </label>
      <button type="button" (click)="load()">Refresh</button>
    </form>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    @if (bookings(); as bookings) {
      <p class="muted" data-testid="booking-totals">
        {{ bookings.length }} bookings · {{ price(totals().total_cents) }} booked · {{ price(totals().refund_cents) }} refunded ·
        <strong>{{ price(totals().net_cents) }} net</strong>
      </p>
      <table>
        <thead>
          <tr><th>Launch</th><th>Traveller</th><th>Seats</th><th>Passengers</th><th>Total</th><th>Refund</th><th>Net</th><th>Status</th><th>Booked</th></tr>
        </thead>
        <tbody>
          @for (booking of bookings; track booking.id) {
            <tr data-testid="booking-row">
              <td>{{ missionOf(booking) }}</td>
              <td>{{ booking.traveler_name }}<br /><span class="muted">{{ booking.traveler_email }}</span></td>
              <td>{{ booking.seats }}</td>
              <td>{{ passengerNames(booking) }}</td>
              <td>{{ price(booking.total_cents) }}</td>
              <td>{{ booking.refund_cents ? price(booking.refund_cents) : '' }}</td>
              <td>{{ price(net(booking)) }}</td>
              <td><span class="badge" [class]="booking.status">{{ booking.status }}</span></td>
              <td>{{ booking.created_at | date: 'medium' }}</td>
            </tr>
          }
        </tbody>
      </table>
    }
  `,
})
export class AdminBookings implements OnInit {
  private readonly api = inject(AdminApi);
  protected readonly price = formatCents;
  protected launchId = '';
  protected readonly launches = signal<Launch[]>([]);
  protected readonly bookings = signal<AdminBooking[] | null>(null);
  protected readonly error = signal<string | null>(null);
  private readonly missions = computed(() => new Map(this.launches().map((launch) => [launch.id, launch.mission_name])));
  protected readonly net = netOf;
  /** A cancelled booking counts only what its refund did not give back. */
  protected readonly totals = computed(() => bookingTotals(this.bookings() ?? []));

  ngOnInit(): void {
    this.api.launches().subscribe({
      next: (launches) => this.launches.set(launches),
      error: (error: unknown) => this.error.set(describeError(error)),
    });
    this.load();
  }

  load(): void {
    this.api.bookings(this.launchId || undefined).subscribe({
      next: (bookings) => {
        this.bookings.set(bookings);
        this.error.set(null);
      },
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }

  missionOf(booking: AdminBooking): string {
    return this.missions().get(booking.launch_id) ?? booking.launch_id;
  }

  passengerNames(booking: AdminBooking): string {
    return booking.passengers.map((passenger) => passenger.name).join(', ');
  }
}
