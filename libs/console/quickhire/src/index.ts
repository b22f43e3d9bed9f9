export * from './lib/quickhire.routes';
