import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, catchError, finalize, map, of, tap, throwError } from 'rxjs';
import { Role, Session, User } from './models';
import { SessionStore } from './session';

const AUTH = '/api/system/auth';

/** Sign-up, sign-in, token refresh and sign-out: all owned by the system API. */
@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);
  private readonly store = inject(SessionStore);

  register(name: string, email: string, password: string): Observable<User> {
    return this.http.post<User>(`${AUTH}/register`, { name, email, password });
  }

  signIn(email: string, password: string): Observable<Session> {
    return this.http
      .post<Session>(`${AUTH}/login`, { email, password })
      .pipe(tap((session) => this.store.save(session)));
  }

  refresh(): Observable<Session> {
    const session = this.store.session();
    if (!session) {
      return throwError(() => new Error('Not signed in.'));
    }
    return this.http.post<Session>(`${AUTH}/refresh`, { refresh_token: session.refresh_token }).pipe(
      tap({
        next: (fresh) => this.store.save(fresh),
        error: () => this.store.clear(),
      }),
    );
  }

  /** Revokes the refresh token on the server; the local session ends even if that call fails. */
  signOut(): Observable<void> {
    const session = this.store.session();
    if (!session) {
      return of(undefined);
    }
    return this.http.post<void>(`${AUTH}/logout`, { refresh_token: session.refresh_token }).pipe(
      map(() => undefined),
      catchError(() => of(undefined)),
      finalize(() => this.store.clear()),
    );
  }

  createAccount(name: string, email: string, password: string, role: Exclude<Role, 'traveler'>): Observable<User> {
    return this.http.post<User>('/api/system/users', { name, email, password, role });
  }
}
