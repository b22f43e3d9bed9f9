export { HOME_CONSOLE } from './lib/home.context';
