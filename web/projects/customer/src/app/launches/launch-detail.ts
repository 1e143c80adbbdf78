import { DatePipe } from '@angular/common';
import { Component, OnInit, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import {
  Booking,
  MAX_SEATS,
  Passenger,
  PublicLaunch,
  SessionStore,
  describeError,
  formatCents,
  isBookableStatus,
  reachName,
  statusName,
} from '@astro/shared';
import { CustomerApi } from '../customer-api';
import { IdempotencyKeys, emptyPassenger, passengerProblems } from './booking-draft';

/** One launch; a signed-in traveller books seats on it here. */
@Component({
  selector: 'astro-launch-detail',
  imports: [DatePipe, FormsModule, RouterLink],
  template: `
    <p><a routerLink="/launches">← All launches</a></p>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    @if (launch(); as launch) {
      <section class="card">
        <h1>{{ launch.mission_name }}</h1>
        <p>{{ reachName(launch.destination) }} from {{ launch.spaceport }} on {{ launch.rocket_name }}</p>
        <p>
          Launches {{ launch.launch_at | date: 'full' }} ·
          <span class="badge" [class]="launch.status" data-testid="launch-status">{{ statusName(launch.status) }}</span>
        </p>
        <p>
          <strong>{{ price(launch.price_per_seat_cents) }}</strong> per seat ·
          <span data-testid="free-seats">{{ launch.free_seats }}</span> of {{ launch.capacity }} seats free
        </p>
      </section>

      @if (booking(); as booking) {
        <section class="card" data-testid="booking-confirmed">
          <h2>Booked</h2>
          <p class="ok">
            {{ booking.seats }} seats (numbers {{ booking.seat_numbers.join(', ') }}) for
            {{ price(booking.total_cents) }}. A confirmation email is on its way.
          </p>
          <p><a routerLink="/bookings">See my bookings</a></p>
        </section>
      } @else if (!isBookableStatus(launch.status)) {
        <p class="card" data-testid="not-bookable">This launch is {{ statusName(launch.status).toLowerCase() }}: it takes no bookings now.</p>
      } @else if (!session.hasRole('traveler')) {
        <p class="card">
          <a routerLink="/sign-in" [queryParams]="{ returnUrl: '/launches/' + launch.slug }">Sign in</a> or
          <a routerLink="/sign-up" [queryParams]="{ returnUrl: '/launches/' + launch.slug }">create an account</a>
          to book.
        </p>
      } @else if (launch.free_seats > 0) {
        <section class="card">
          <h2>Book seats</h2>
          <form (ngSubmit)="book(launch)">
            <label>
              Seats
              <select name="seats" [ngModel]="passengers().length" (ngModelChange)="resize($event)">
                @for (count of seatChoices(launch); track count) {
                  <option [ngValue]="count">{{ count }}</option>
                }
              </select>
            </label>
            @for (passenger of passengers(); track $index; let i = $index) {
              <fieldset class="card">
                <legend>Passenger {{ i + 1 }}</legend>
                <label>Name <input [name]="'name' + i" [(ngModel)]="passenger.name" required /></label>
                <label>Email <input [name]="'email' + i" type="email" [(ngModel)]="passenger.email" required /></label>
                <label>Phone <input [name]="'phone' + i" type="tel" [(ngModel)]="passenger.phone" required /></label>
                <label>Age on launch day <input [name]="'age' + i" type="number" min="18" max="69" [(ngModel)]="passenger.age" required /></label>
              </fieldset>
            }
            <p>Total: <strong>{{ price(launch.price_per_seat_cents * passengers().length) }}</strong></p>
            @for (problem of problems(); track problem) {
              <p class="error" role="alert">{{ problem }}</p>
            }
            <button type="submit" [disabled]="busy()">Book {{ passengers().length }} seats</button>
          </form>
        </section>
      } @else {
        <p class="card" data-testid="not-bookable">Sold out: every seat is taken.</p>
      }
    }
  `,
})
export class LaunchDetail implements OnInit {
  readonly slug = input.required<string>();

  private readonly api = inject(CustomerApi);
  protected readonly session = inject(SessionStore);
  private readonly keys = new IdempotencyKeys();

  protected readonly reachName = reachName;
  protected readonly statusName = statusName;
  protected readonly isBookableStatus = isBookableStatus;
  protected readonly price = formatCents;
  protected readonly launch = signal<PublicLaunch | null>(null);
  protected readonly passengers = signal<Passenger[]>([emptyPassenger()]);
  protected readonly booking = signal<Booking | null>(null);
  protected readonly problems = signal<string[]>([]);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    this.reload();
  }

  seatChoices(launch: PublicLaunch): number[] {
    const most = Math.max(1, Math.min(MAX_SEATS, launch.free_seats));
    return Array.from({ length: most }, (_, index) => index + 1);
  }

  resize(count: number): void {
    const current = this.passengers();
    this.passengers.set(Array.from({ length: count }, (_, index) => current[index] ?? emptyPassenger()));
  }

  book(launch: PublicLaunch): void {
    const passengers = this.passengers().map((passenger) => ({
      name: passenger.name.trim(),
      email: passenger.email.trim(),
      phone: passenger.phone.trim(),
      age: Number(passenger.age),
    }));
    const problems = passengerProblems(passengers, launch.free_seats);
    this.problems.set(problems);
    if (problems.length > 0) {
      return;
    }
    this.busy.set(true);
    this.api.book(launch.id, passengers, this.keys.keyFor(launch.id, passengers)).subscribe({
      next: (booking) => {
        this.busy.set(false);
        this.booking.set(booking);
        this.reload();
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.problems.set([describeError(error)]);
        this.reload();
      },
    });
  }

  private reload(): void {
    this.api.launch(this.slug()).subscribe({
      next: (launch) => {
        this.launch.set(launch);
        this.error.set(null);
      },
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }
}
