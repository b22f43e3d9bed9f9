export { MARKETS_CONSOLE } from './lib/markets.context';
