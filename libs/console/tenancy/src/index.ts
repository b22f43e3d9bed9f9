export * from './lib/tenancy.routes';
