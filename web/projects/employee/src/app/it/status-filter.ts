import { Component, input, model, output } from '@angular/core';
import { FormsModule } from '@angular/forms';

/** The status picker and refresh button above the notification and sync-job tables. */
@Component({
  selector: 'astro-status-filter',
  imports: [FormsModule],
  template: `
    <form class="inline card">
      <label>
        Status
        <select name="status" [(ngModel)]="status" (ngModelChange)="refresh.emit()">
          <option value="">Any</option>
          @for (choice of statuses(); track choice) {
            <option [value]="choice">{{ choice }}</option>
          }
        </select>
      </label>
      <button type="button" (click)="refresh.emit()">Refresh</button>
    </form>
  `,
})
export class StatusFilter {
  readonly statuses = input.required<string[]>();
  readonly status = model('');
  readonly refresh = output();
}
