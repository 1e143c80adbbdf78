import { DatePipe } from '@angular/common';
import { Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { AdminApi, Launch, Rocket, describeError, formatCents, formatPercent, moneyOf, reachName, statusName } from '@astro/shared';
import { LaunchFormValue, emptyLaunchForm, reachableDestinations, schedulableRockets, toLaunchRequest } from './launch-form';

/** The agency's launches, with occupancy and money at a glance, and the form to schedule a new one. */
@Component({
  selector: 'astro-launches',
  imports: [DatePipe, FormsModule, RouterLink],
  template: `
    <h1>Launches</h1>
    @if (rockets().length === 0) {
      <p class="card">Add an active <a routerLink="/rockets">rocket</a> first; every launch flies on one.</p>
    } @else {
      <section class="card">
        <h2>Schedule a launch</h2>
        <form class="inline" (ngSubmit)="schedule()">
          <label>
            Rocket
            <select name="rocket" [(ngModel)]="form.rocket_id" (ngModelChange)="rocketId.set($event)">
              @for (rocket of rockets(); track rocket.id) {
                <option [value]="rocket.id">{{ rocket.name }} ({{ rocket.capacity }} seats)</option>
              }
            </select>
          </label>
          <label>Mission name <input name="mission" [(ngModel)]="form.mission_name" /></label>
          <label>Spaceport <input name="spaceport" [(ngModel)]="form.spaceport" /></label>
          <label>
            Destination
            <select name="destination" [(ngModel)]="form.destination">
              @for (reach of destinations(); track reach) {
                <option [value]="reach">{{ reachName(reach) }}</option>
              }
            </select>
          </label>
          <label>Launch time (your time zone) <input name="launchAt" type="datetime-local" [(ngModel)]="form.launch_at_local" /></label>
          <label>Price per seat (USD) <input name="price" inputmode="decimal" [(ngModel)]="form.price" /></label>
          <label>Minimum passengers <input name="minimum" type="number" min="1" [(ngModel)]="form.minimum_passengers" /></label>
          <button type="submit" [disabled]="busy()">Schedule</button>
        </form>
        @for (problem of problems(); track problem) {
          <p class="error" role="alert">{{ problem }}</p>
        }
        <p class="ok" role="status" data-testid="launch-scheduled">
          @if (scheduled(); as launch) {
            Scheduled {{ launch.mission_name }}; it opens for booking in a few seconds.
          }
        </p>
      </section>
    }
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <table>
      <thead>
        <tr><th>Mission</th><th>Rocket</th><th>Destination</th><th>Launch</th><th>Price</th><th>Occupancy</th><th>Revenue</th><th>Status</th></tr>
      </thead>
      <tbody>
        @for (launch of launches(); track launch.id) {
          <tr data-testid="launch-row">
            <td><a [routerLink]="['/launches', launch.id]">{{ launch.mission_name }}</a><br /><span class="muted">{{ launch.spaceport }}</span></td>
            <td>{{ launch.rocket_name }}</td>
            <td>{{ reachName(launch.destination) }}</td>
            <td>{{ launch.launch_at | date: 'medium' }}</td>
            <td>{{ price(launch.price_per_seat_cents) }}</td>
            <td>
              {{ launch.seats_sold }} / {{ launch.capacity }} ({{ percent(launch.occupancy_percent) }})<br />
              <span class="muted">minimum {{ launch.minimum_passengers }}</span>
            </td>
            <td>{{ revenue(launch) }}</td>
            <td><span class="badge" [class]="launch.status">{{ statusName(launch.status) }}</span></td>
          </tr>
        } @empty {
          <tr><td colspan="8" class="muted">No launches yet.</td></tr>
        }
      </tbody>
    </table>
  `,
})
export class Launches implements OnInit {
  private readonly api = inject(AdminApi);
  protected readonly reachName = reachName;
  protected readonly statusName = statusName;
  protected readonly price = formatCents;
  protected readonly percent = formatPercent;
  protected readonly rockets = signal<Rocket[]>([]);
  protected readonly launches = signal<Launch[]>([]);
  protected readonly rocketId = signal('');
  protected readonly destinations = computed(() =>
    reachableDestinations(this.rockets().find((rocket) => rocket.id === this.rocketId())),
  );
  protected readonly problems = signal<string[]>([]);
  protected readonly scheduled = signal<Launch | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected form: LaunchFormValue = emptyLaunchForm('');

  ngOnInit(): void {
    this.api.rockets().subscribe({
      next: (all) => {
        const rockets = schedulableRockets(all);
        this.rockets.set(rockets);
        if (rockets.length > 0 && !this.form.rocket_id) {
          this.form.rocket_id = rockets[0].id;
          this.rocketId.set(rockets[0].id);
        }
      },
      error: (error: unknown) => this.error.set(describeError(error)),
    });
    this.load();
  }

  revenue(launch: Launch): string {
    return moneyOf(launch).revenue;
  }

  schedule(): void {
    this.scheduled.set(null);
    const result = toLaunchRequest(this.form, this.rockets(), new Date());
    if ('problems' in result) {
      this.problems.set(result.problems);
      return;
    }
    this.problems.set([]);
    this.busy.set(true);
    this.api.scheduleLaunch(result.request).subscribe({
      next: (launch) => {
        this.busy.set(false);
        this.scheduled.set(launch);
        this.form = emptyLaunchForm(this.form.rocket_id);
        this.load();
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.problems.set([describeError(error)]);
      },
    });
  }

  private load(): void {
    this.api.launches().subscribe({
      next: (launches) => this.launches.set(launches),
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }
}
