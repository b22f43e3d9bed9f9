export * from './lib/assistance.routes';
