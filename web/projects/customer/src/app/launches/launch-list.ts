import { DatePipe } from '@angular/common';
import { Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { PublicLaunch, REACHES, Reach, describeError, formatCents, reachName } from '@astro/shared';
import { CustomerApi, ListingSort } from '../customer-api';

/** Anyone, signed in or not, browses the launches that still have free seats. */
@Component({
  selector: 'astro-launch-list',
  imports: [DatePipe, FormsModule, RouterLink],
  template: `
    <h1>Launches with free seats</h1>
    <form class="inline card" (ngSubmit)="load()">
      <label>
        Destination
        <select name="destination" [(ngModel)]="destination" (ngModelChange)="load()">
          <option value="">Anywhere</option>
          @for (reach of reaches; track reach) {
            <option [value]="reach">{{ reachName(reach) }}</option>
          }
        </select>
      </label>
      <label>
        Sort by
        <select name="sort" [(ngModel)]="sort" (ngModelChange)="load()">
          <option value="date">Launch date</option>
          <option value="price_asc">Price, lowest first</option>
          <option value="price_desc">Price, highest first</option>
          <option value="free_seats">Free seats</option>
        </select>
      </label>
      <button type="submit">Refresh</button>
    </form>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    @if (launches(); as launches) {
      @if (launches.length === 0) {
        <p class="muted">No launch has free seats right now.</p>
      }
      <div class="grid">
        @for (launch of launches; track launch.id) {
          <article class="card" data-testid="launch-card">
            <h2><a [routerLink]="['/launches', launch.slug]">{{ launch.mission_name }}</a></h2>
            <p>{{ reachName(launch.destination) }} from {{ launch.spaceport }} on {{ launch.rocket_name }}</p>
            <p>{{ launch.launch_at | date: 'medium' }}</p>
            <p>
              <strong>{{ price(launch.price_per_seat_cents) }}</strong> per seat ·
              <span data-testid="free-seats">{{ launch.free_seats }}</span> of {{ launch.capacity }} seats free
            </p>
          </article>
        }
      </div>
    } @else if (!error()) {
      <p class="muted">Loading…</p>
    }
  `,
})
export class LaunchList implements OnInit {
  private readonly api = inject(CustomerApi);

  protected readonly reaches = REACHES;
  protected readonly reachName = reachName;
  protected readonly price = formatCents;
  protected destination: Reach | '' = '';
  protected sort: ListingSort = 'date';
  protected readonly launches = signal<PublicLaunch[] | null>(null);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    this.load();
  }

  load(): void {
    this.api.launches({ destination: this.destination, sort: this.sort }).subscribe({
      next: (launches) => {
        this.launches.set(launches);
        this.error.set(null);
      },
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }
}
