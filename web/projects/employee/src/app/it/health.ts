import { DatePipe } from '@angular/common';
import { Component, OnInit, inject, signal } from '@angular/core';
import { forkJoin } from 'rxjs';
import { ROLES, RoleHealthResult, SystemApi } from '../system-api';

/** The supervision tree of every role: each actor's state, heartbeat and restarts. */
@Component({
  selector: 'astro-health',
  imports: [DatePipe],
  template: `
    <h1>Health</h1>
    <p><button type="button" (click)="load()">Refresh</button></p>
    @for (result of results(); track result.role) {
      <section class="card" data-testid="role-health">
        <h2>{{ result.role }}</h2>
        @if (result.health; as health) {
          <table>
            <thead><tr><th>Actor</th><th>Supervisor</th><th>State</th><th>Last heartbeat</th><th>Restarts</th><th>Panics</th></tr></thead>
            <tbody>
              @for (actor of health.actors; track actor.name) {
                <tr>
                  <td>{{ actor.name }}</td>
                  <td>{{ actor.supervisor }}</td>
                  <td>
                    <span class="badge">{{ actor.state }}</span>
                    @if (actor.last_error) {
                      <br /><span class="error">{{ actor.last_error }}</span>
                    }
                  </td>
                  <td>{{ actor.last_heartbeat | date: 'mediumTime' }}</td>
                  <td>{{ actor.restarts }}</td>
                  <td>{{ actor.panics }}</td>
                </tr>
              }
            </tbody>
          </table>
        } @else {
          <p class="error">{{ result.error }}</p>
        }
      </section>
    }
  `,
})
export class Health implements OnInit {
  private readonly api = inject(SystemApi);
  protected readonly results = signal<RoleHealthResult[]>([]);

  ngOnInit(): void {
    this.load();
  }

  load(): void {
    forkJoin(ROLES.map((role) => this.api.health(role))).subscribe((results) => this.results.set(results));
  }
}
