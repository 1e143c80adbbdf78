import { DatePipe } from '@angular/common';
import { Component, OnInit, inject, signal } from '@angular/core';
import { Notification, describeError } from '@astro/shared';
import { SystemApi } from '../system-api';
import { StatusFilter } from './status-filter';

/** Every email the mailer was asked to send, with its delivery status. */
@Component({
  selector: 'astro-notifications',
  imports: [DatePipe, StatusFilter],
  template: `
    <h1>Notifications</h1>
    <astro-status-filter [statuses]="['pending', 'sent', 'failed']" [(status)]="status" (refresh)="load()" />
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <table>
      <thead><tr><th>Created</th><th>Event</th><th>To</th><th>Subject</th><th>Status</th><th>Attempts</th></tr></thead>
      <tbody>
        @for (notification of notifications(); track notification.id) {
          <tr data-testid="notification-row">
            <td>{{ notification.created_at | date: 'medium' }}</td>
            <td>{{ notification.event }}</td>
            <td>{{ notification.recipient_name }}<br /><span class="muted">{{ notification.recipient_email }}</span></td>
            <td>{{ notification.subject }}</td>
            <td>
              <span class="badge" [class]="notification.status">{{ notification.status }}</span>
              @if (notification.last_error) {
                <br /><span class="error">{{ notification.last_error }}</span>
              }
            </td>
            <td>{{ notification.attempts }}</td>
          </tr>
        } @empty {
          <tr><td colspan="6" class="muted">No notifications match.</td></tr>
        }
      </tbody>
    </table>
  `,
})
export class Notifications implements OnInit {
  private readonly api = inject(SystemApi);
  protected status = '';
  protected readonly notifications = signal<Notification[]>([]);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    this.load();
  }

  load(): void {
    this.api.notifications(this.status).subscribe({
      next: (notifications) => {
        this.notifications.set(notifications);
        this.error.set(null);
      },
      error: (error: unknown) => this.error.set(describeError(error)),
    });
  }
}
