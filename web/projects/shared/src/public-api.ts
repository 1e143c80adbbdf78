// What the customer, supplier and employee apps share.
export * from './lib/admin-api';
export * from './lib/admin-bookings';
export * from './lib/auth-api';
export * from './lib/auth-interceptor';
export * from './lib/autofocus';
export * from './lib/format';
export * from './lib/guards';
export * from './lib/launch-status';
export * from './lib/models';
export * from './lib/problem';
export * from './lib/profile-editor';
export * from './lib/providers';
export * from './lib/rules';
export * from './lib/session';
export * from './lib/shell';
export * from './lib/sign-in';
