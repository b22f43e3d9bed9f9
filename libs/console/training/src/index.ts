export * from './lib/training.routes';
