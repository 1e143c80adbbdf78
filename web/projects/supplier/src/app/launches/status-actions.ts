import { Component, computed, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { AdminApi, Autofocus, Launch, describeError, statusName, toDateTimeLocal } from '@astro/shared';
import { LaunchAction, MAX_REASON_LENGTH, launchActions, opensForm, toStatusRequest } from './launch-actions';

/**
 * The status changes a launch's `allowed_transitions` permit. Confirm and "back to" are sent at
 * once; delay asks for the new date, abort for the reason, and the final ones to be confirmed.
 */
@Component({
  selector: 'astro-status-actions',
  imports: [Autofocus, FormsModule],
  template: `
    @let actions = available();
    @if (actions.length === 0) {
      <p class="muted">{{ statusName(launch().status) }} is final: nothing more can change.</p>
    } @else if (open(); as action) {
      <form class="card" data-testid="action-panel" (ngSubmit)="send(action)" [attr.aria-label]="action.submitLabel" astroAutofocus>
        @if (action.warning) {
          <p>{{ action.warning }}</p>
        }
        @if (action.asksForDate) {
          <label>
            New launch time (your time zone)
            <input name="launchAt" type="datetime-local" step="1" [(ngModel)]="form.launch_at_local" />
          </label>
        }
        @if (action.reason !== 'none') {
          <label>
            Reason {{ action.reason === 'required' ? '(told to the travellers)' : '(optional, told to the travellers)' }}
            <input name="reason" [(ngModel)]="form.reason" [maxlength]="maxReason" />
          </label>
        }
        @for (problem of problems(); track problem) {
          <p class="error" role="alert">{{ problem }}</p>
        }
        <p class="actions">
          <button type="submit" [disabled]="busy()">{{ action.submitLabel }}</button>
          <button type="button" class="link" (click)="close()">Keep it as it is</button>
        </p>
      </form>
    } @else {
      <p class="actions">
        @for (action of actions; track action.status) {
          <button type="button" [disabled]="busy()" (click)="choose(action)">{{ action.label }}</button>
        }
      </p>
      @for (problem of problems(); track problem) {
        <p class="error" role="alert">{{ problem }}</p>
      }
    }
  `,
})
export class StatusActions {
  readonly launch = input.required<Launch>();
  /** The launch as the server answered the change. */
  readonly changed = output<Launch>();
  /** The server refused the change: the launch may have moved on meanwhile. */
  readonly refused = output<void>();

  private readonly api = inject(AdminApi);
  protected readonly statusName = statusName;
  protected readonly maxReason = MAX_REASON_LENGTH;
  protected readonly available = computed(() => launchActions(this.launch()));
  protected readonly open = signal<LaunchAction | null>(null);
  protected readonly problems = signal<string[]>([]);
  protected readonly busy = signal(false);
  protected form = { launch_at_local: '', reason: '' };

  choose(action: LaunchAction): void {
    this.problems.set([]);
    if (!opensForm(action)) {
      this.send(action);
      return;
    }
    this.form = { launch_at_local: toDateTimeLocal(this.launch().launch_at), reason: '' };
    this.open.set(action);
  }

  close(): void {
    this.open.set(null);
    this.problems.set([]);
  }

  send(action: LaunchAction): void {
    const result = toStatusRequest(action, this.form, new Date());
    if ('problems' in result) {
      this.problems.set(result.problems);
      return;
    }
    this.problems.set([]);
    this.busy.set(true);
    this.api.changeStatus(this.launch().id, result.request).subscribe({
      next: (launch) => {
        this.busy.set(false);
        this.open.set(null);
        this.changed.emit(launch);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.problems.set([describeError(error)]);
        this.refused.emit();
      },
    });
  }
}
