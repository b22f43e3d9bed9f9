export * from './lib/chain';
export * from './lib/verify';
