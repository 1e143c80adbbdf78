import { DatePipe } from '@angular/common';
import { Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { LogEntry, describeError } from '@astro/shared';
import { LogFilter, ROLES, SystemApi } from '../system-api';

/** Every service's log events from the system DB, newest first. */
@Component({
  selector: 'astro-logs',
  imports: [DatePipe, FormsModule],
  template: `
    <h1>Logs</h1>
    <form class="inline card" (ngSubmit)="load()">
      <label>
        Level
        <select name="level" [(ngModel)]="filter.level" (ngModelChange)="load()">
          <option value="">Any</option>
          <option value="info">Info</option>
          <option value="warning">Warning</option>
          <option value="error">Error</option>
        </select>
      </label>
      <label>
        Service
        <select name="service" [(ngModel)]="filter.service" (ngModelChange)="load()">
          <option value="">Any</option>
          @for (role of roles; track role) {
            <option [value]="role">{{ role }}</option>
          }
        </select>
      </label>
      <label>Text <input name="q" [(ngModel)]="filter.q" placeholder="event, message or id" /></label>
      <button type="submit">Search</button>
    </form>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <table>
      <thead><tr><th>Time</th><th>Level</th><th>Service</th><th>Event</th><th>Message</th><th>Request</th></tr></thead>
      <tbody>
        @for (entry of entries(); track entry.id) {
          <tr data-testid="log-row">
            <td>{{ entry.time | date: 'medium' }}</td>
            <td><span class="badge" [class]="entry.level">{{ entry.level }}</span></td>
            <td>{{ entry.service }}</td>
            <td>{{ entry.event }}</td>
            <td>{{ entry.message }}</td>
            <td class="muted">{{ entry.request_id }}</td>
          </tr>
        } @empty {
          <tr><td colspan="6" class="muted">No log entries match.</td></tr>
        }
      </tbody>
    </table>
  `,
})
export class Logs implements OnInit {
  private readonly api = inject(SystemApi);
  protected readonly roles = ROLES;
  protected filter: LogFilter = { level: '', service: '', q: '' };
  protected readonly entries = signal<LogEntry[]>([]);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    this.load();
  }

  load(): void {
    this.api.logs(this.filter).subscribe({
      next: (entries) => {
        this.entries.set(entries);
        this.error.set(null);
      },
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }
}
