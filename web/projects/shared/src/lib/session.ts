import { computed, Injectable, InjectionToken, inject, signal } from '@angular/core';
import { Role, Session } from './models';

/** Where each app keeps its session in localStorage: the three apps share one origin, not a session. */
export const SESSION_STORAGE_KEY = new InjectionToken<string>('SESSION_STORAGE_KEY');

function looksLikeSession(value: unknown): value is Session {
  const session = value as Session;
  return (
    typeof session?.access_token === 'string' &&
    typeof session.refresh_token === 'string' &&
    typeof session.user?.role === 'string'
  );
}

/** The signed-in user of this app, kept across reloads. */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly key = inject(SESSION_STORAGE_KEY);
  private readonly state = signal<Session | null>(this.read());

  readonly session = this.state.asReadonly();
  readonly user = computed(() => this.state()?.user ?? null);
  readonly signedIn = computed(() => this.state() !== null);

  hasRole(...roles: Role[]): boolean {
    const user = this.user();
    return user !== null && roles.includes(user.role);
  }

  save(session: Session): void {
    localStorage.setItem(this.key, JSON.stringify(session));
    this.state.set(session);
  }

  clear(): void {
    localStorage.removeItem(this.key);
    this.state.set(null);
  }

  private read(): Session | null {
    try {
      const stored: unknown = JSON.parse(localStorage.getItem(this.key) ?? 'null');
      return looksLikeSession(stored) ? stored : null;
    } catch {
      return null;
    }
  }
}
