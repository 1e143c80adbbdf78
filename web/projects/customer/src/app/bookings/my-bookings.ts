import { DatePipe } from '@angular/common';
import { Component, OnInit, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Booking, describeError, formatCents } from '@astro/shared';
import { CustomerApi } from '../customer-api';

@Component({
  selector: 'astro-my-bookings',
  imports: [DatePipe, RouterLink],
  template: `
    <h1>My bookings</h1>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    @if (bookings(); as bookings) {
      @if (bookings.length === 0) {
        <p class="muted">No bookings yet. <a routerLink="/launches">Find a launch</a>.</p>
      } @else {
        <table>
          <thead>
            <tr><th>Mission</th><th>Seats</th><th>Passengers</th><th>Total</th><th>Status</th><th>Booked</th></tr>
          </thead>
          <tbody>
            @for (booking of bookings; track booking.id) {
              <tr data-testid="booking-row">
                <td><a [routerLink]="['/launches', booking.launch_slug]">{{ booking.mission_name }}</a></td>
                <td>{{ booking.seats }} ({{ booking.seat_numbers.join(', ') }})</td>
                <td>{{ names(booking) }}</td>
                <td>{{ price(booking.total_cents) }}</td>
                <td><span class="badge" [class]="booking.status">{{ booking.status }}</span></td>
                <td>{{ booking.created_at | date: 'medium' }}</td>
              </tr>
            }
          </tbody>
        </table>
      }
    }
  `,
})
export class MyBookings implements OnInit {
  private readonly api = inject(CustomerApi);
  protected readonly price = formatCents;
  protected readonly bookings = signal<Booking[] | null>(null);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    this.api.myBookings().subscribe({
      next: (bookings) => this.bookings.set(bookings),
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }

  names(booking: Booking): string {
    return booking.passengers.map((passenger) => passenger.name).join(', ');
  }
}
