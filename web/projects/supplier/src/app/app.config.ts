import { astroAppConfig } from '@astro/shared';
import { routes } from './app.routes';

export const appConfig = astroAppConfig('supplier', routes);
