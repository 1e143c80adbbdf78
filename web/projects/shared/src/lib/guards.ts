import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { Role } from './models';
import { SessionStore } from './session';

/** Lets only the given roles in; everyone else is sent to sign in and brought back afterwards. */
export function requireRole(...roles: Role[]): CanActivateFn {
  return (_route, state) => {
    if (inject(SessionStore).hasRole(...roles)) {
      return true;
    }
    return inject(Router).createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
  };
}
