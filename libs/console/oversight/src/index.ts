export { OVERSIGHT_CONSOLE } from './lib/oversight.context';
