export * from './lib/markets.routes';
