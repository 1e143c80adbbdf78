import { HttpErrorResponse, HttpHandlerFn, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { Observable, catchError, finalize, shareReplay, switchMap, throwError } from 'rxjs';
import { AuthApi } from './auth-api';
import { Session } from './models';
import { SessionStore } from './session';

// Calls that must not carry (or refresh) the user's token.
const ANONYMOUS = ['/api/system/auth/login', '/api/system/auth/register', '/api/system/auth/refresh', '/api/system/auth/logout'];

// One refresh at a time: concurrent 401s wait for the same new token.
let refreshing: Observable<Session> | null = null;

function withToken(request: HttpRequest<unknown>, token: string): HttpRequest<unknown> {
  return request.clone({ setHeaders: { Authorization: `Bearer ${token}` } });
}

/**
 * Sends the access token with every API call and, when it has expired (401), refreshes it once and
 * retries; a failed refresh ends the session so the app can ask the user to sign in again.
 */
export const authInterceptor: HttpInterceptorFn = (request: HttpRequest<unknown>, next: HttpHandlerFn) => {
  const store = inject(SessionStore);
  const auth = inject(AuthApi);
  const session = store.session();
  if (!session || !request.url.startsWith('/api/') || ANONYMOUS.includes(request.url)) {
    return next(request);
  }
  return next(withToken(request, session.access_token)).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse) || error.status !== 401) {
        return throwError(() => error);
      }
      refreshing ??= auth.refresh().pipe(
        finalize(() => (refreshing = null)),
        shareReplay({ bufferSize: 1, refCount: false }),
      );
      return refreshing.pipe(
        catchError(() => throwError(() => error)),
        switchMap((fresh) => next(withToken(request, fresh.access_token))),
      );
    }),
  );
};
