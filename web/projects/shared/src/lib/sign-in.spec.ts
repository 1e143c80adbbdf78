import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { SESSION_STORAGE_KEY, SessionStore } from './session';
import { SignIn } from './sign-in';
import { sessionFor } from './testing';

describe('SignIn', () => {
  let fixture: ComponentFixture<SignIn>;
  let backend: HttpTestingController;

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: SESSION_STORAGE_KEY, useValue: 'test.session' },
      ],
    });
    fixture = TestBed.createComponent(SignIn);
    fixture.componentRef.setInput('roles', ['agency']);
    fixture.componentRef.setInput('audience', 'the agency app');
    fixture.componentRef.setInput('returnUrl', '/launches');
    backend = TestBed.inject(HttpTestingController);
    await fixture.whenStable();
  });

  function submit(email: string, password: string): void {
    const page: HTMLElement = fixture.nativeElement;
    const [emailInput, passwordInput] = Array.from(page.querySelectorAll('input'));
    emailInput.value = email;
    emailInput.dispatchEvent(new Event('input'));
    passwordInput.value = password;
    passwordInput.dispatchEvent(new Event('input'));
    page.querySelector('form')!.dispatchEvent(new Event('submit'));
  }

  async function alertText(): Promise<string | undefined> {
    await fixture.whenStable();
    return (fixture.nativeElement as HTMLElement).querySelector('[role=alert]')?.textContent?.trim();
  }

  it('signs an account of this app in and goes back where the user was going', async () => {
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    submit('agency@astro.test', 'agency-pass-12');
    const login = backend.expectOne('/api/system/auth/login');
    expect(login.request.body).toEqual({ email: 'agency@astro.test', password: 'agency-pass-12' });
    login.flush(sessionFor('agency'));
    expect(TestBed.inject(SessionStore).hasRole('agency')).toBe(true);
    expect(navigate).toHaveBeenCalledWith('/launches');
  });

  it('signs an account of another role out again and says why', async () => {
    submit('traveler@astro.test', 'traveler-pass-1');
    backend.expectOne('/api/system/auth/login').flush(sessionFor('traveler'));
    expect(TestBed.inject(SessionStore).session()).toBeNull();
    expect(await alertText()).toBe('This account cannot use the agency app.');
  });

  it('shows the problem the server sent', async () => {
    submit('agency@astro.test', 'wrong-password-1');
    backend
      .expectOne('/api/system/auth/login')
      .flush({ code: 'invalid_credentials', message: 'Email or password is wrong', request_id: 'r-9' }, { status: 401, statusText: 'Unauthorized' });
    expect(await alertText()).toBe('Email or password is wrong (reference r-9)');
  });

  it('asks for both fields before calling the server', async () => {
    submit('', '');
    backend.expectNone('/api/system/auth/login');
    expect(await alertText()).toBe('Enter your email and password.');
  });
});
