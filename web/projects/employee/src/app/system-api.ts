import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, catchError, map, of } from 'rxjs';
import { LogEntry, Notification, Page, Role, RoleHealth, SyncJob, User } from '@astro/shared';
import { AccountAction } from './it/account-actions';

export const ROLES = ['customer', 'admin', 'system', 'scheduler'] as const;

export interface LogFilter {
  level?: string;
  service?: string;
  q?: string;
}

export interface AccountFilter {
  role?: Role | '';
  q?: string;
}

export interface RoleHealthResult {
  role: string;
  health: RoleHealth | null;
  error: string | null;
}

/** Drops empty filters so the API sees only what the user chose. */
export function filterParams(filter: object): HttpParams {
  let params = new HttpParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined && value !== null && `${value}`.trim() !== '') {
      params = params.set(key, `${value}`.trim());
    }
  }
  return params;
}

/** What IT reads from the system API (logs, notifications, sync jobs, accounts) and every role's
 * health, and what it does to accounts. */
@Injectable({ providedIn: 'root' })
export class SystemApi {
  private readonly http = inject(HttpClient);

  logs(filter: LogFilter): Observable<LogEntry[]> {
    return this.http
      .get<Page<LogEntry>>('/api/system/logs', { params: filterParams({ ...filter, limit: 200 }) })
      .pipe(map((page) => page.items));
  }

  notifications(status: string): Observable<Notification[]> {
    return this.http
      .get<Page<Notification>>('/api/system/notifications', { params: filterParams({ status, limit: 200 }) })
      .pipe(map((page) => page.items));
  }

  syncJobs(status: string): Observable<SyncJob[]> {
    return this.http
      .get<Page<SyncJob>>('/api/system/sync-jobs', { params: filterParams({ status, limit: 200 }) })
      .pipe(map((page) => page.items));
  }

  accounts(filter: AccountFilter): Observable<User[]> {
    return this.http
      .get<Page<User>>('/api/system/users', { params: filterParams({ ...filter, limit: 500 }) })
      .pipe(map((page) => page.items));
  }

  /** Disables (which signs the account out everywhere) or enables an account. */
  changeAccount(user: User, action: AccountAction): Observable<User> {
    return this.http.post<User>(`/api/system/users/${encodeURIComponent(user.id)}/${action}`, {});
  }

  /** One role's supervision tree; a role that is down is reported, not thrown. */
  health(role: string): Observable<RoleHealthResult> {
    return this.http.get<RoleHealth>(`/api/${role}/health/actors`).pipe(
      map((health) => ({ role, health, error: null })),
      catchError(() => of({ role, health: null, error: 'not reachable' })),
    );
  }
}
