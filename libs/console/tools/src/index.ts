export * from './lib/tools.routes';
