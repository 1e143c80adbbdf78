import { Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { AdminApi, Autofocus, MAX_ROCKET_SEATS, REACHES, Rocket, describeError, reachName } from '@astro/shared';
import { RocketFormValue, deactivationProblem, rocketChanges, toRocket } from './rocket-form';

/** The agency's fleet: add a rocket, edit one, deactivate one that has no launch left to fly. */
@Component({
  selector: 'astro-rockets',
  imports: [Autofocus, FormsModule],
  template: `
    <h1>Rockets</h1>
    <section class="card">
      <h2>Add a rocket</h2>
      <form class="inline" (ngSubmit)="add()">
        <label>Name <input name="name" [(ngModel)]="form.name" required /></label>
        <label>Model <input name="model" [(ngModel)]="form.model" required /></label>
        <label>Seats <input name="capacity" type="number" min="1" [max]="maxSeats" [(ngModel)]="form.capacity" required /></label>
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
      <p class="ok" role="status" data-testid="rocket-added">
        @if (added(); as rocket) {
          Added {{ rocket.name }} ({{ rocket.capacity }} seats) to the fleet.
        }
      </p>
    </section>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <p class="ok" role="status">{{ notice() }}</p>
    <table>
      <thead><tr><th>Name</th><th>Model</th><th>Seats</th><th>Range</th><th>Status</th><th></th></tr></thead>
      <tbody>
        @for (rocket of rockets(); track rocket.id) {
          <tr data-testid="rocket-row">
            <td>{{ rocket.name }}</td>
            <td>{{ rocket.model }}</td>
            <td>{{ rocket.capacity }}</td>
            <td>{{ reachName(rocket.range) }}</td>
            <td><span class="badge" [class]="rocket.active ? 'active' : 'disabled'">{{ rocket.active ? 'active' : 'deactivated' }}</span></td>
            <td class="actions">
              @if (rocket.active && editing() !== rocket.id) {
                <button type="button" class="link" (click)="edit(rocket)" [attr.aria-label]="'Edit ' + rocket.name">Edit…</button>
                <button type="button" class="link" [disabled]="busy()" (click)="deactivate(rocket)" [attr.aria-label]="'Deactivate ' + rocket.name">
                  Deactivate
                </button>
              }
            </td>
          </tr>
          @if (rowProblem(); as row) {
            @if (row.id === rocket.id) {
              <tr><td colspan="6"><p class="error" role="alert" data-testid="rocket-problem">{{ row.text }}</p></td></tr>
            }
          }
          @if (editing() === rocket.id) {
            <tr>
              <td colspan="6">
                <form class="inline card" data-testid="rocket-edit" (ngSubmit)="save(rocket)" [attr.aria-label]="'Edit ' + rocket.name" astroAutofocus>
                  <label>Name <input name="editName" [(ngModel)]="draft.name" /></label>
                  <label>Model <input name="editModel" [(ngModel)]="draft.model" /></label>
                  <label>Seats <input name="editCapacity" type="number" min="1" [max]="maxSeats" [(ngModel)]="draft.capacity" /></label>
                  <label>
                    Range
                    <select name="editRange" [(ngModel)]="draft.range">
                      @for (reach of reaches; track reach) {
                        <option [value]="reach">{{ reachName(reach) }}</option>
                      }
                    </select>
                  </label>
                  <button type="submit" [disabled]="busy()">Save</button>
                  <button type="button" class="link" (click)="editing.set(null)">Cancel</button>
                </form>
              </td>
            </tr>
          }
        } @empty {
          <tr><td colspan="6" class="muted">No rockets yet.</td></tr>
        }
      </tbody>
    </table>
  `,
})
export class Rockets implements OnInit {
  private readonly api = inject(AdminApi);
  protected readonly reaches = REACHES;
  protected readonly maxSeats = MAX_ROCKET_SEATS;
  protected readonly reachName = reachName;
  protected readonly rockets = signal<Rocket[]>([]);
  protected readonly problem = signal<string | null>(null);
  protected readonly added = signal<Rocket | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal('');
  protected readonly editing = signal<string | null>(null);
  /** A refused edit or deactivation, shown under its rocket. */
  protected readonly rowProblem = signal<{ id: string; text: string } | null>(null);
  protected form: RocketFormValue = { name: '', model: '', capacity: 4, range: 'low_earth_orbit' };
  protected draft: RocketFormValue = { ...this.form };

  ngOnInit(): void {
    this.load();
  }

  add(): void {
    this.added.set(null);
    const result = toRocket(this.form);
    if ('problem' in result) {
      this.problem.set(result.problem);
      return;
    }
    this.problem.set(null);
    this.busy.set(true);
    this.api.createRocket(result.rocket).subscribe({
      next: (rocket) => {
        this.busy.set(false);
        this.added.set(rocket);
        this.form = { name: '', model: '', capacity: 4, range: this.form.range };
        this.load();
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.problem.set(describeError(error));
      },
    });
  }

  edit(rocket: Rocket): void {
    this.rowProblem.set(null);
    this.draft = { name: rocket.name, model: rocket.model, capacity: rocket.capacity, range: rocket.range };
    this.editing.set(rocket.id);
  }

  save(rocket: Rocket): void {
    const result = toRocket(this.draft);
    if ('problem' in result) {
      this.rowProblem.set({ id: rocket.id, text: result.problem });
      return;
    }
    const changes = rocketChanges(rocket, result.rocket);
    if (!changes) {
      this.editing.set(null);
      return;
    }
    this.busy.set(true);
    this.api.updateRocket(rocket.id, changes).subscribe({
      next: (saved) => this.settled(saved, `Saved ${saved.name}.`),
      error: (error: unknown) => this.refused(rocket, describeError(error)),
    });
  }

  deactivate(rocket: Rocket): void {
    this.rowProblem.set(null);
    this.busy.set(true);
    this.api.deactivateRocket(rocket.id).subscribe({
      next: (saved) => this.settled(saved, `Deactivated ${saved.name}: no new launch can fly on it.`),
      error: (error: unknown) => this.refused(rocket, deactivationProblem(rocket, error)),
    });
  }

  private settled(saved: Rocket, notice: string): void {
    this.busy.set(false);
    this.editing.set(null);
    this.rowProblem.set(null);
    this.notice.set(notice);
    this.rockets.update((rockets) => rockets.map((rocket) => (rocket.id === saved.id ? saved : rocket)));
  }

  private refused(rocket: Rocket, text: string): void {
    this.busy.set(false);
    this.notice.set('');
    this.rowProblem.set({ id: rocket.id, text });
  }

  private load(): void {
    this.api.rockets().subscribe({
      next: (rockets) => this.rockets.set(rockets),
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }
}
