import { DatePipe } from '@angular/common';
import { Component, OnInit, inject, signal } from '@angular/core';
import { Job, JobRun, describeError } from '@astro/shared';
import { SchedulerApi } from '../scheduler-api';
import { describeRun, runDuration } from './job-runs';

/** The scheduler's jobs: schedule, last run and outcome, next run, counts; any of them run now. */
@Component({
  selector: 'astro-jobs',
  imports: [DatePipe],
  template: `
    <h1>Scheduler jobs</h1>
    <p class="actions"><button type="button" (click)="load()">Refresh</button></p>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <table>
      <thead>
        <tr><th>Job</th><th>Schedule</th><th>Last run</th><th>Next run</th><th>Runs</th><th></th></tr>
      </thead>
      <tbody>
        @for (job of jobs(); track job.name) {
          <tr data-testid="job-row">
            <td><strong>{{ job.name }}</strong><br /><span class="muted">{{ job.description }}</span></td>
            <td>{{ job.schedule }}</td>
            <td data-testid="job-last-run">
              @if (job.last_run; as last) {
                {{ last.started_at | date: 'medium' }}<br />
                <span class="badge" [class]="last.outcome">{{ last.outcome }}</span> {{ describe(last) }}
              } @else {
                <span class="muted">Never run</span>
              }
            </td>
            <td>{{ job.next_run_at ? (job.next_run_at | date: 'medium') : '—' }}</td>
            <td>{{ job.counts.succeeded }} succeeded · {{ job.counts.failed }} failed</td>
            <td>
              <button type="button" [disabled]="running() === job.name" (click)="run(job)" [attr.aria-label]="'Run ' + job.name + ' now'">
                {{ running() === job.name ? 'Running…' : 'Run now' }}
              </button>
              <p role="status" data-testid="job-run-result">
                @if (results()[job.name]; as result) {
                  <span [class.error]="result.outcome === 'failed'" [class.ok]="result.outcome === 'succeeded'">
                    {{ describe(result) }}{{ duration(result) ? ' in ' + duration(result) : '' }}
                  </span>
                }
              </p>
              @if (runErrors()[job.name]; as problem) {
                <p class="error" role="alert">{{ problem }}</p>
              }
            </td>
          </tr>
        } @empty {
          <tr><td colspan="6" class="muted">No jobs reported.</td></tr>
        }
      </tbody>
    </table>
  `,
})
export class Jobs implements OnInit {
  private readonly api = inject(SchedulerApi);
  protected readonly describe = describeRun;
  protected readonly duration = runDuration;
  protected readonly jobs = signal<Job[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly running = signal<string | null>(null);
  /** The run started from this page, per job. */
  protected readonly results = signal<Record<string, JobRun>>({});
  protected readonly runErrors = signal<Record<string, string>>({});

  ngOnInit(): void {
    this.load();
  }

  load(): void {
    this.api.jobs().subscribe({
      next: (jobs) => {
        this.jobs.set(jobs);
        this.error.set(null);
      },
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }

  run(job: Job): void {
    this.running.set(job.name);
    this.runErrors.update(({ [job.name]: _, ...rest }) => rest);
    this.api.runNow(job.name).subscribe({
      next: (run) => {
        this.running.set(null);
        this.results.update((results) => ({ ...results, [job.name]: run }));
        this.load();
      },
      error: (error: unknown) => {
        this.running.set(null);
        this.runErrors.update((errors) => ({ ...errors, [job.name]: describeError(error) }));
      },
    });
  }
}
