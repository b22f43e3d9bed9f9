export * from './lib/ledger.routes';
