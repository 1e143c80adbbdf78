import { Role, Session } from './models';

/** A session as the system API returns it, for tests. */
export function sessionFor(role: Role, access = 'access-1', refresh = 'refresh-1'): Session {
  return {
    access_token: access,
    refresh_token: refresh,
    token_type: 'Bearer',
    expires_in: 900,
    user: { id: `${role}-id`, email: `${role}@astro.test`, name: `A ${role}`, role, status: 'active', created_at: '2026-01-01T00:00:00Z' },
  };
}
