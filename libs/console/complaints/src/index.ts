export { COMPLAINTS_CONSOLE } from './lib/complaints.context';
