export * from './lib/events.routes';
