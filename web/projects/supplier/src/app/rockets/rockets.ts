import { Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { AdminApi, NewRocket, REACHES, Rocket, describeError, reachName } from '@astro/shared';

/** The agency's fleet, and the form to add a rocket. */
@Component({
  selector: 'astro-rockets',
  imports: [FormsModule],
  template: `
    <h1>Rockets</h1>
    <section class="card">
      <h2>Add a rocket</h2>
      <form class="inline" (ngSubmit)="add()">
        <label>Name <input name="name" [(ngModel)]="form.name" required /></label>
        <label>Model <input name="model" [(ngModel)]="form.model" required /></label>
        <label>Seats <input name="capacity" type="number" min="1" [(ngModel)]="form.capacity" required /></label>
        <label>
          Range
          <select name="range" [(ngModel)]="form.range">
            @for (reach of reaches; track reach) {
              <option [value]="reach">{{ reachName(reach) }}</option>
            }
          </select>
        </label>
        <button type="submit" [disabled]="busy()">Add rocket</button>
      </form>
      @if (problem()) {
        <p class="error" role="alert">{{ problem() }}</p>
      }
    </section>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <table>
      <thead><tr><th>Name</th><th>Model</th><th>Seats</th><th>Range</th></tr></thead>
      <tbody>
        @for (rocket of rockets(); track rocket.id) {
          <tr data-testid="rocket-row">
            <td>{{ rocket.name }}</td>
            <td>{{ rocket.model }}</td>
            <td>{{ rocket.capacity }}</td>
            <td>{{ reachName(rocket.range) }}</td>
          </tr>
        } @empty {
          <tr><td colspan="4" class="muted">No rockets yet.</td></tr>
        }
      </tbody>
    </table>
  `,
})
export class Rockets implements OnInit {
  private readonly api = inject(AdminApi);
  protected readonly reaches = REACHES;
  protected readonly reachName = reachName;
  protected readonly rockets = signal<Rocket[]>([]);
  protected readonly problem = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected form: NewRocket = { name: '', model: '', capacity: 4, range: 'low_earth_orbit' };

  ngOnInit(): void {
    this.load();
  }

  add(): void {
    const capacity = Number(this.form.capacity);
    if (!this.form.name.trim() || !this.form.model.trim() || !Number.isInteger(capacity) || capacity < 1) {
      this.problem.set('Enter a name, a model and a whole number of seats.');
      return;
    }
    this.problem.set(null);
    this.busy.set(true);
    this.api.createRocket({ ...this.form, name: this.form.name.trim(), model: this.form.model.trim(), capacity }).subscribe({
      next: () => {
        this.busy.set(false);
        this.form = { name: '', model: '', capacity: 4, range: this.form.range };
        this.load();
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.problem.set(describeError(error));
      },
    });
  }

  private load(): void {
    this.api.rockets().subscribe({
      next: (rockets) => this.rockets.set(rockets),
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }
}
