export { ASSISTANCE_CONSOLE } from './lib/assistance.context';
