export { REPORTS_CONSOLE } from './lib/reports.context';
