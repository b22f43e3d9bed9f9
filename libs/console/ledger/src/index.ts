export { LEDGER_CONSOLE } from './lib/ledger.context';
