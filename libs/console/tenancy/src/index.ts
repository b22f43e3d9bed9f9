export { TENANCY_CONSOLE } from './lib/tenancy.context';
