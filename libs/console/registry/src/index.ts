export * from './lib/registry.routes';
