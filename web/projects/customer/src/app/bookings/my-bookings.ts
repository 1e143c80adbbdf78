import { DatePipe } from '@angular/common';
import { Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { Booking, RefundPreview, describeError, describeStatusChange, formatCents, statusName } from '@astro/shared';
import { CustomerApi } from '../customer-api';
import { describeCancellation, describeRefund, offersCancel } from './refund';

/**
 * The traveller's bookings with their launch's current date, status and status history; a
 * confirmed one can be cancelled after seeing its refund.
 */
@Component({
  selector: 'astro-my-bookings',
  imports: [DatePipe, FormsModule, RouterLink],
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
            <tr><th>Mission</th><th>Launch</th><th>Seats</th><th>Passengers</th><th>Total</th><th>Booking</th><th></th></tr>
          </thead>
          <tbody>
            @for (booking of bookings; track booking.id) {
              <tr data-testid="booking-row">
                <td><a [routerLink]="['/launches', booking.launch_slug]">{{ booking.mission_name }}</a></td>
                <td>
                  {{ booking.launch_at | date: 'medium' }}<br />
                  <span class="badge" [class]="booking.launch_status" data-testid="launch-status">{{ statusName(booking.launch_status) }}</span>
                  @if (booking.launch_status_history.length > 0) {
                    <details data-testid="launch-history">
                      <summary>Status history</summary>
                      <ol>
                        @for (change of booking.launch_status_history; track $index) {
                          <li>{{ change.at | date: 'medium' }} · {{ describeChange(change) }}</li>
                        }
                      </ol>
                    </details>
                  }
                </td>
                <td>{{ booking.seats }} ({{ booking.seat_numbers.join(', ') }})</td>
                <td>{{ names(booking) }}</td>
                <td>{{ price(booking.total_cents) }}</td>
                <td>
                  <span class="badge" [class]="booking.status">{{ booking.status }}</span>
                  @if (booking.cancellation; as cancellation) {
                    <br /><span class="muted">{{ cancellationText(cancellation) }}</span>
                  }
                </td>
                <td>
                  @if (offersCancel(booking) && preview()?.booking_id !== booking.id) {
                    <button type="button" class="link" (click)="askToCancel(booking)">Cancel…</button>
                  }
                </td>
              </tr>
              @if (preview(); as preview) {
                @if (preview.booking_id === booking.id) {
                  <tr>
                    <td colspan="7">
                      <form class="card" data-testid="cancel-panel" (ngSubmit)="confirmCancel(booking)">
                        @if (preview.cancellable) {
                          <p>{{ refundText(preview) }}</p>
                          <label>Reason (optional) <input name="reason" [(ngModel)]="reason" maxlength="500" /></label>
                          <p>
                            <button type="submit" [disabled]="busy()">Cancel this booking</button>
                            <button type="button" class="link" (click)="keep()">Keep it</button>
                          </p>
                        } @else {
                          <p>This booking can no longer be cancelled.</p>
                        }
                      </form>
                    </td>
                  </tr>
                }
              }
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
  protected readonly refundText = describeRefund;
  protected readonly cancellationText = describeCancellation;
  protected readonly describeChange = describeStatusChange;
  protected readonly statusName = statusName;
  protected readonly offersCancel = offersCancel;
  protected readonly bookings = signal<Booking[] | null>(null);
  protected readonly preview = signal<RefundPreview | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected reason = '';

  ngOnInit(): void {
    this.load();
  }

  names(booking: Booking): string {
    return booking.passengers.map((passenger) => passenger.name).join(', ');
  }

  askToCancel(booking: Booking): void {
    this.reason = '';
    this.api.refundPreview(booking.id).subscribe({
      next: (preview) => this.preview.set(preview),
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }

  keep(): void {
    this.preview.set(null);
  }

  confirmCancel(booking: Booking): void {
    this.busy.set(true);
    this.api.cancel(booking.id, this.reason).subscribe({
      next: () => {
        this.busy.set(false);
        this.preview.set(null);
        this.load();
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.error.set(describeError(error));
      },
    });
  }

  private load(): void {
    this.api.myBookings().subscribe({
      next: (bookings) => {
        this.bookings.set(bookings);
        this.error.set(null);
      },
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }
}
