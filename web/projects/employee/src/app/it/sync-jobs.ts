import { DatePipe } from '@angular/common';
import { Component, OnInit, inject, signal } from '@angular/core';
import { SyncJob, describeError } from '@astro/shared';
import { SystemApi } from '../system-api';
import { StatusFilter } from './status-filter';

/** Each change carried between the operations DB and the customer DB, and how it went. */
@Component({
  selector: 'astro-sync-jobs',
  imports: [DatePipe, StatusFilter],
  template: `
    <h1>Sync jobs</h1>
    <astro-status-filter [statuses]="['pending', 'running', 'completed', 'failed']" [(status)]="status" (refresh)="load()" />
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <table>
      <thead><tr><th>Created</th><th>Event</th><th>From</th><th>Entity</th><th>Status</th><th>Attempts</th></tr></thead>
      <tbody>
        @for (job of jobs(); track job.id) {
          <tr data-testid="sync-job-row">
            <td>{{ job.created_at | date: 'medium' }}</td>
            <td>{{ job.event }}</td>
            <td>{{ job.origin_service }}</td>
            <td>{{ job.entity_type }} <span class="muted">{{ job.entity_id }}</span></td>
            <td>
              <span class="badge" [class]="job.status">{{ job.status }}</span>
              @if (job.last_error) {
                <br /><span class="error">{{ job.last_error }}</span>
              }
            </td>
            <td>{{ job.attempts }}</td>
          </tr>
        } @empty {
          <tr><td colspan="6" class="muted">No sync jobs match.</td></tr>
        }
      </tbody>
    </table>
  `,
})
export class SyncJobs implements OnInit {
  private readonly api = inject(SystemApi);
  protected status = '';
  protected readonly jobs = signal<SyncJob[]>([]);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    this.load();
  }

  load(): void {
    this.api.syncJobs(this.status).subscribe({
      next: (jobs) => {
        this.jobs.set(jobs);
        this.error.set(null);
      },
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }
}
