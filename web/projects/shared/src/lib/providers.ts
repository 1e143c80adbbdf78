import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { Routes, provideRouter, withComponentInputBinding } from '@angular/router';
import { authInterceptor } from './auth-interceptor';
import { SESSION_STORAGE_KEY } from './session';

/** What every Astro app is built on: the router (route data bound to inputs), HTTP with the token. */
export function astroAppConfig(app: string, routes: Routes): ApplicationConfig {
  return {
    providers: [
      provideBrowserGlobalErrorListeners(),
      provideRouter(routes, withComponentInputBinding()),
      provideHttpClient(withFetch(), withInterceptors([authInterceptor])),
      { provide: SESSION_STORAGE_KEY, useValue: `astro.${app}.session` },
    ],
  };
}
