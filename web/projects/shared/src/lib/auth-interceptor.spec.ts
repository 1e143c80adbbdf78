import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { authInterceptor } from './auth-interceptor';
import { SESSION_STORAGE_KEY, SessionStore } from './session';
import { sessionFor } from './testing';

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let sessions: SessionStore;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        { provide: SESSION_STORAGE_KEY, useValue: 'test.session' },
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    sessions = TestBed.inject(SessionStore);
  });

  afterEach(() => backend.verify());

  it('sends no token when nobody is signed in', () => {
    http.get('/api/customer/launches').subscribe();
    expect(backend.expectOne('/api/customer/launches').request.headers.has('Authorization')).toBe(false);
  });

  it('sends the access token to the APIs but not to sign-in', () => {
    sessions.save(sessionFor('traveler'));
    http.get('/api/customer/bookings').subscribe();
    http.post('/api/system/auth/login', {}).subscribe();
    expect(backend.expectOne('/api/customer/bookings').request.headers.get('Authorization')).toBe('Bearer access-1');
    expect(backend.expectOne('/api/system/auth/login').request.headers.has('Authorization')).toBe(false);
  });

  it('refreshes an expired token once and retries every waiting call with the new one', () => {
    sessions.save(sessionFor('agency'));
    const answers: unknown[] = [];
    http.get('/api/admin/rockets').subscribe((body) => answers.push(body));
    http.get('/api/admin/launches').subscribe((body) => answers.push(body));
    backend.expectOne('/api/admin/rockets').flush({ code: 'unauthenticated', message: 'expired' }, { status: 401, statusText: 'Unauthorized' });
    backend.expectOne('/api/admin/launches').flush({ code: 'unauthenticated', message: 'expired' }, { status: 401, statusText: 'Unauthorized' });

    const refresh = backend.expectOne('/api/system/auth/refresh');
    expect(refresh.request.body).toEqual({ refresh_token: 'refresh-1' });
    refresh.flush(sessionFor('agency', 'access-2', 'refresh-2'));

    const retried = backend.match((request) => request.url.startsWith('/api/admin/'));
    expect(retried.map((request) => request.request.headers.get('Authorization'))).toEqual(['Bearer access-2', 'Bearer access-2']);
    retried.forEach((request) => request.flush({ items: [] }));
    expect(answers).toHaveLength(2);
    expect(sessions.session()?.refresh_token).toBe('refresh-2');
  });

  it('ends the session when the refresh is refused, and passes the 401 on', () => {
    sessions.save(sessionFor('it'));
    let status = 0;
    http.get('/api/system/logs').subscribe({ error: (error) => (status = error.status) });
    backend.expectOne('/api/system/logs').flush({}, { status: 401, statusText: 'Unauthorized' });
    backend.expectOne('/api/system/auth/refresh').flush({ code: 'unauthenticated', message: 'reused' }, { status: 401, statusText: 'Unauthorized' });
    expect(status).toBe(401);
    expect(sessions.session()).toBeNull();
  });

  it('leaves other errors alone', () => {
    sessions.save(sessionFor('traveler'));
    let status = 0;
    http.get('/api/customer/bookings').subscribe({ error: (error) => (status = error.status) });
    backend.expectOne('/api/customer/bookings').flush({}, { status: 403, statusText: 'Forbidden' });
    backend.expectNone('/api/system/auth/refresh');
    expect(status).toBe(403);
  });
});
